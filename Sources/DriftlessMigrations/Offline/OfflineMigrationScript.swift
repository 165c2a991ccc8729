import Driftless

/// Renders migrations as a SQL script instead of running them (`driftless migrate upgrade
/// --sql`), for DBAs who review and run it themselves: no database connection is needed.
///
/// The script holds what the online run does: the version table's DDL, and per migration its
/// transaction (`BEGIN`/`COMMIT`, unless it opted out), its statements with values inlined,
/// and its version-table update. Piped into `sqlite3` or `psql -v ON_ERROR_STOP=1`, it leaves
/// the same schema as running the migrations online.
///
/// On SQLite the statements also run on an in-memory shadow database, where the migrations
/// from base to the start of the range are replayed first, so that table rebuilds can
/// reflect the table they copy. Custom Swift operations run against the recorder, so what
/// they execute becomes part of the script (`lockTimeout` renders `SET lock_timeout`); one
/// that reads the database throws ``MigrationError/Code/offlineUnsupported``, as there is no
/// data to read.
public struct OfflineMigrationScript<Database: MigratableDatabase>: Sendable {
    /// The migrations the script is rendered from.
    public let graph: RevisionGraph
    /// The version table the script updates, as the online migrator would.
    public let configuration: MigratorConfiguration

    public init(graph: RevisionGraph, configuration: MigratorConfiguration = MigratorConfiguration()) {
        self.graph = graph
        self.configuration = configuration
    }

    /// The script for `upgrade --sql RANGE`: `end` (from base) or `start:end`.
    ///
    /// When the range ends at every head, every repeatable migration follows, each with its
    /// checksum: with no database to compare with, the script cannot tell which changed, and
    /// a repeatable migration is written to be run again.
    public func upgrade(_ range: String) throws -> String {
        let (startText, endText) = Self.split(range)
        return try render(title: "upgrade \(startText ?? "base"):\(endText)") { recorder in
            let start = try startRows(startText)
            try replay(to: start, on: recorder)
            let end = try graph.resolve(endText, current: start)
            let path = graph.upgradePath(from: start, to: end)
            let rows = path.reduce(start) { $1.versions(after: $0) }
            guard graph.upgradePath(from: rows, to: .revisions(Set(graph.heads))).isEmpty else { return path }
            return path + graph.repeatableMigrations.map {
                MigrationStep(migration: $0, direction: .upgrade, removedVersions: [], addedVersions: [])
            }
        }
    }

    /// The script for `downgrade --sql START:END` (a start is required: there is no database
    /// to read the current revision from).
    public func downgrade(_ range: String) throws -> String {
        let (startText, endText) = Self.split(range)
        guard let startText else { throw MigrationError.offlineRangeRequired("downgrade") }
        return try render(title: "downgrade \(startText):\(endText)") { recorder in
            let start = try startRows(startText)
            try replay(to: start, on: recorder)
            return try graph.downgradePath(from: start, to: graph.resolve(endText, current: start), named: endText)
        }
    }

    /// The script for `stamp --sql`: the version-table update alone, from `start` (base when nil).
    public func stamp(_ targets: [String], from startText: String?, purge: Bool = false) throws -> String {
        let dialect = Database.migrationDialect
        let table = configuration.versionTable
        let start = try startRows(startText)
        let after = try graph.stampedRows(purge ? [] : start, targets: targets)
        var lines = [OfflineRecorder.comment("Driftless: stamp \(targets.joined(separator: " ")) (\(dialect.name))"),
                     OfflineRecorder.terminated(table.createSQL(dialect)), OfflineRecorder.terminated(table.createChecksumsSQL(dialect)),
                     "", "BEGIN;"]
        if purge {
            lines.append("DELETE FROM \(dialect.quote(table.name));")
            lines.append("DELETE FROM \(dialect.quote(table.checksumTableName)) WHERE kind = 'revision';")
        }
        var statements = table.transition(from: purge ? [] : start, to: after, order: graph.sorted, dialect: dialect)
        // The checksums follow the stamp: recorded for what it marks applied, forgotten for
        // what it marks reverted.
        let before = purge ? [] : graph.ancestors(of: start)
        let applied = graph.ancestors(of: after)
        for id in graph.sorted(applied.subtracting(before)) {
            guard let migration = graph.migration(id) else { continue }
            statements.append(table.recordChecksumStatement(
                .revision, name: id, checksum: MigrationChecksum.of(migration, dialect: dialect), dialect: dialect))
        }
        for id in graph.sorted(before.subtracting(applied)) {
            statements.append(table.deleteChecksumStatement(.revision, name: id, dialect: dialect))
        }
        for statement in statements {
            lines.append(OfflineRecorder.terminated(
                try PlaceholderInliner.inline(statement.sql, arguments: statement.arguments, dialect: dialect)))
        }
        lines.append("COMMIT;")
        return lines.joined(separator: "\n") + "\n"
    }

    /// One migration's statements as they would run, without transaction or version update
    /// (for `show`); a repeatable migration's as they would run after every head.
    public func statements(of id: String, direction: MigrationDirection) throws -> [String] {
        guard let migration = graph.migration(id) ?? graph.repeatableMigration(id) else { throw MigrationError.unknownRevision(id) }
        return try Database.withShadowConnection { shadow in
            let recorder = OfflineRecorder(dialect: Database.migrationDialect, shadow: shadow)
            recorder.isRecording = false
            let applied = migration.isRepeatable ? graph.ancestors(of: graph.heads) : graph.ancestors(of: [id])
            let before = direction == .upgrade && !migration.isRepeatable ? applied.subtracting([id]) : applied
            try replay(to: graph.versionRows(forApplied: before), on: recorder)
            for line in Database.offlineFraming.before { try recorder.executeScript(line) }
            recorder.isRecording = true
            let step = MigrationStep(migration: migration, direction: direction, removedVersions: [], addedVersions: [])
            try run(step.operations, of: step, on: recorder)
            return recorder.lines
        }
    }

    /// Operations rendered as statements on a shadow holding `schema` (for autogenerate).
    public static func statements(of operations: [SchemaOperation], schema: [String], named name: String) throws -> [String] {
        try Database.withShadowConnection { shadow in
            for statement in schema { try shadow?.executeScript(statement) }
            for line in Database.offlineFraming.before { try shadow?.executeScript(line) }
            let recorder = OfflineRecorder(dialect: Database.migrationDialect, shadow: shadow)
            for operation in operations { try apply(operation, named: name, on: recorder) }
            return recorder.lines
        }
    }

    // MARK: Rendering

    private static func split(_ range: String) -> (start: String?, end: String) {
        guard let colon = range.firstIndex(of: ":") else { return (nil, range) }
        let start = String(range[..<colon])
        return (start.isEmpty ? nil : start, String(range[range.index(after: colon)...]))
    }

    /// The version rows a range starts from (`base` when nil).
    private func startRows(_ text: String?) throws -> Set<String> {
        guard let text else { return [] }
        let applied: Set<String> = switch try graph.resolve(text, current: []) {
        case .base: []
        case .revisions(let ids): graph.ancestors(of: ids)
        case .below(let roots):
            graph.ancestors(of: roots).subtracting(graph.descendants(of: roots))
        }
        return graph.versionRows(forApplied: applied)
    }

    /// Replays base..start on the shadow without recording.
    private func replay(to rows: Set<String>, on recorder: OfflineRecorder) throws {
        let recording = recorder.isRecording
        recorder.isRecording = false
        defer { recorder.isRecording = recording }
        try configuration.versionTable.create(on: recorder)
        for step in graph.upgradePath(from: [], to: .revisions(rows)) { try render(step, on: recorder) }
    }

    private func render(title: String, steps: (OfflineRecorder) throws -> [MigrationStep]) throws -> String {
        try Database.withShadowConnection { shadow in
            let recorder = OfflineRecorder(dialect: Database.migrationDialect, shadow: shadow)
            recorder.isRecording = false
            let path = try steps(recorder)
            recorder.isRecording = true
            recorder.comment("Driftless: \(title) (\(Database.migrationDialect.name))")
            try configuration.versionTable.create(on: recorder)
            for step in path {
                recorder.emit("")
                recorder.comment("Running \(step.summary)" + (step.migration.isTransactional ? "" : " (outside a transaction)"))
                try render(step, on: recorder)
            }
            return recorder.lines.joined(separator: "\n") + "\n"
        }
    }

    /// One step as the online run does it, framing included; the framing runs on the shadow
    /// too, so that it is in the same state (SQLite: foreign keys off during rebuilds).
    private func render(_ step: MigrationStep, on recorder: OfflineRecorder) throws {
        let framing = Database.offlineFraming
        for line in framing.before { try recorder.executeScript(line) }
        if step.migration.isTransactional { try recorder.executeScript(framing.begin) }
        try run(step.operations, of: step, on: recorder)
        if !step.migration.isTransactional { try recorder.executeScript(framing.begin) }
        let table = configuration.versionTable
        try table.write(from: Set(step.removedVersions), to: Set(step.addedVersions), order: graph.sorted, on: recorder)
        let id = step.revision.id
        let checksum = step.direction == .upgrade
            ? table.recordChecksumStatement(step.migration.isRepeatable ? .repeatable : .revision, name: id,
                                            checksum: MigrationChecksum.of(step.migration, dialect: recorder.dialect),
                                            dialect: recorder.dialect)
            : table.deleteChecksumStatement(.revision, name: id, dialect: recorder.dialect)
        try recorder.execute(checksum.sql, arguments: checksum.arguments)
        for line in framing.beforeCommit { try recorder.executeScript(line) }
        try recorder.executeScript(framing.commit)
        for line in framing.after { try recorder.executeScript(line) }
        for backfill in step.backfills {
            recorder.comment("Backfill of \(backfill.table): online it runs in batches of \(backfill.batchSize) rows; offline as one statement")
            try recorder.executeScript(backfill.offlineSQL(Database.migrationDialect) + ";")
        }
    }

    private func run(_ operations: [SchemaOperation], of step: MigrationStep, on recorder: OfflineRecorder) throws {
        for (index, operation) in operations.enumerated() {
            do {
                try Self.apply(operation, named: "revision \(step.revision.id)", transactional: step.migration.isTransactional,
                               on: recorder)
            } catch let error as MigrationError {
                throw error
            } catch {
                throw step.failure(error, operation: index, statement: nil, line: nil)
            }
        }
    }

    /// Applies one operation to the recorder; custom code may write but not read.
    private static func apply(
        _ operation: SchemaOperation, named owner: String, transactional: Bool = true, on recorder: OfflineRecorder
    ) throws {
        guard case .custom(let name, _) = operation else { return try operation.apply(on: recorder, transactional: transactional) }
        recorder.customOperation = "custom operation \"\(name)\" of \(owner)"
        defer { recorder.customOperation = nil }
        try operation.apply(on: recorder, transactional: transactional)
    }
}
