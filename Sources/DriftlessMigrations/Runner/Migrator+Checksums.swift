import Driftless

extension Migrator {
    /// The checksum of a migration on this database's dialect (``MigrationChecksum``).
    public func checksum(of migration: Migration) -> String {
        MigrationChecksum.of(migration, dialect: Database.migrationDialect)
    }

    /// The applied migrations whose checksum differs from the one recorded, and those
    /// without a recorded checksum (applied before checksums existed), for `applied`.
    func compareChecksums(applied: Set<String>, on connection: some MigrationConnection) throws
        -> (mismatches: [ChecksumMismatch], unrecorded: [String])
    {
        let recorded = try configuration.versionTable.checksums(.revision, on: connection)
        var mismatches: [ChecksumMismatch] = []
        var unrecorded: [String] = []
        for id in graph.sorted(applied) {
            guard let migration = graph.migration(id) else { continue }
            let current = checksum(of: migration)
            if let checksum = recorded[id] {
                if checksum != current {
                    mismatches.append(ChecksumMismatch(revision: id, source: migration.source, recorded: checksum, current: current))
                }
            } else {
                unrecorded.append(id)
            }
        }
        return (mismatches, unrecorded)
    }

    /// Fails with ``MigrationError/Code/checksumMismatch`` when an applied migration changed
    /// since it was applied (unless ``MigratorConfiguration/validatesChecksums`` is off), and
    /// records the checksums of applied migrations that have none: a version table from
    /// before checksums is upgraded in place, its rows kept.
    func verifyChecksums(applied: Set<String>, on connection: some MigrationConnection) throws {
        let (mismatches, unrecorded) = try compareChecksums(applied: applied, on: connection)
        if configuration.validatesChecksums, !mismatches.isEmpty {
            throw MigrationError.checksumMismatch(revisions: mismatches.map(\.revision), sources: mismatches.map(\.source))
        }
        if !unrecorded.isEmpty {
            logger.notice("recording the checksums of migrations applied before checksums were recorded", metadata: [
                "revisions": "\(unrecorded.count)",
            ])
        }
        for id in unrecorded {
            guard let migration = graph.migration(id) else { continue }
            try configuration.versionTable.recordChecksum(.revision, name: id, checksum: checksum(of: migration), on: connection)
        }
    }

    /// The repeatable migrations whose checksum is not the recorded one: those `upgrade`
    /// would run (after the versioned migrations).
    public func pendingRepeatableMigrations() throws -> [Migration] {
        guard !graph.repeatableMigrations.isEmpty else { return [] }
        let table = configuration.versionTable
        let recorded = try database.read { try table.checksums(.repeatable, on: LiveMigrationConnection($0)) }
        return graph.repeatableMigrations.filter { recorded[$0.revision.id] != checksum(of: $0) }
    }

    /// Accepts the changes to applied migrations: records their checksums as they are now
    /// (the explicit way past ``MigrationError/Code/checksumMismatch``, as Flyway's `repair`),
    /// records missing ones, and forgets those of revisions that are not applied.
    ///
    /// - Parameter revisions: The revisions to accept (ids, prefixes, labels); all when empty.
    /// - Throws: ``MigrationError/Code/notApplied`` for a named revision that is not applied.
    @discardableResult
    public func repairChecksums(_ revisions: [String] = []) throws -> ChecksumRepair {
        let table = configuration.versionTable
        let graph = graph
        return try database.withMigrationSession(configuration) { connection in
            let live = LiveMigrationConnection(connection)
            return try inMigrationTransaction(on: connection, verifies: false) {
                try table.create(on: live)
                let rows = try table.read(on: live)
                try requireKnown(rows)
                let applied = graph.ancestors(of: rows)
                let named = try Set(revisions.map { try graph.revision(matching: $0) })
                let notApplied = named.subtracting(applied)
                if !notApplied.isEmpty {
                    throw MigrationError.notApplied(target: revisions.joined(separator: " "), revisions: graph.sorted(notApplied))
                }
                let scope = named.isEmpty ? applied : named
                let (mismatches, unrecorded) = try compareChecksums(applied: scope, on: live)
                for id in mismatches.map(\.revision) + unrecorded {
                    guard let migration = graph.migration(id) else { continue }
                    try table.recordChecksum(.revision, name: id, checksum: checksum(of: migration), on: live)
                }
                var forgotten: [String] = []
                if named.isEmpty {
                    for id in try table.checksums(.revision, on: live).keys where !applied.contains(id) {
                        try table.deleteChecksum(.revision, name: id, on: live)
                        forgotten.append(id)
                    }
                }
                return (ChecksumRepair(accepted: mismatches, recorded: unrecorded, forgotten: graph.sorted(forgotten)), nil)
            }
        }
    }
}

/// What ``Migrator/repairChecksums(_:)`` changed.
public struct ChecksumRepair: Sendable {
    /// Applied migrations whose changed checksum is now accepted.
    public var accepted: [ChecksumMismatch]
    /// Applied migrations that had no checksum and now have one.
    public var recorded: [String]
    /// Checksums of revisions that are not applied (or unknown), removed.
    public var forgotten: [String]

    public var isEmpty: Bool { accepted.isEmpty && recorded.isEmpty && forgotten.isEmpty }
}
