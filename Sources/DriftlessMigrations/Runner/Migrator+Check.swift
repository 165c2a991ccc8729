import Driftless

extension Migrator {
    /// Checks, for CI, that the graph has one head, the database is at it, and the live schema
    /// has what the records declare (extra tables and columns are reported as notes).
    public func check(records: [any Record.Type] = []) throws -> CheckReport {
        let rows = try readVersions()
        let unknown = rows.filter { !graph.contains($0) }
        let pending = unknown.isEmpty
            ? graph.upgradePath(from: rows, to: .revisions(Set(graph.heads))).map(\.revision.id) : []
        let diff = records.isEmpty ? nil : try database.read { connection in
            try SchemaDiff.compare(records: records, on: LiveMigrationConnection(connection))
        }
        var drift: [String] = []
        var notes = diff?.notes ?? []
        for difference in diff?.differences ?? [] {
            switch difference {
            case .extraTable, .extraColumn: notes.append(difference.description)
            default: drift.append(difference.description)
            }
        }
        return CheckReport(heads: graph.heads, pendingRevisions: pending, unknownRevisions: graph.sorted(unknown),
                           drift: drift, notes: notes)
    }
}
