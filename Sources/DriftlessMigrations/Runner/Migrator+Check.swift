import Driftless

extension Migrator {
    /// Checks, for CI, that the graph has one head, the database is at it, no applied
    /// migration changed since it was applied, no repeatable migration waits, and (given
    /// records) the live schema has what the records declare (extra tables and columns are
    /// reported as notes).
    ///
    /// Without records, drift is not checked: ``CheckReport/checkedDrift`` is false.
    public func check(records: [any Record.Type] = []) throws -> CheckReport {
        let table = configuration.versionTable
        let (rows, checksums) = try database.read { connection in
            let live = LiveMigrationConnection(connection)
            let rows = try table.read(on: live)
            let known = rows.allSatisfy(graph.contains)
            let checksums = known ? try compareChecksums(applied: graph.ancestors(of: rows), on: live) : (mismatches: [], unrecorded: [])
            return (rows, checksums)
        }
        let unknown = rows.filter { !graph.contains($0) }
        let pending = unknown.isEmpty
            ? graph.upgradePath(from: rows, to: .revisions(Set(graph.heads))).map(\.revision.id) : []
        let diff = records.isEmpty ? nil : try database.read { connection in
            try SchemaDiff.compare(records: records, on: LiveMigrationConnection(connection),
                                   ignoringTables: SchemaDiff.ignoredTables(for: table))
        }
        var drift: [String] = []
        var notes = diff?.notes ?? []
        for difference in diff?.differences ?? [] {
            switch difference {
            case .extraTable, .extraColumn, .defaultMismatch: notes.append(difference.description)
            default: drift.append(difference.description)
            }
        }
        if !checksums.unrecorded.isEmpty {
            notes.append("\(checksums.unrecorded.count) applied migration(s) have no recorded checksum (applied before checksums "
                         + "were recorded): the next upgrade or `repair` records them")
        }
        var report = CheckReport(heads: graph.heads, pendingRevisions: pending, unknownRevisions: graph.sorted(unknown),
                                 drift: drift, notes: notes)
        report.checkedDrift = diff != nil
        report.checksumMismatches = checksums.mismatches
        report.pendingRepeatables = try pendingRepeatableMigrations().map(\.revision.id)
        return report
    }
}
