import Driftless

extension Migrator {
    /// Sets the version table to targets without running any migration: for a database
    /// whose schema was made another way (restored from a dump, created from declarations).
    ///
    /// Each target replaces the rows on its own line of history, as in Alembic (see
    /// ``RevisionGraph/stampedRows(_:targets:)``): stamping one parent of a merge the
    /// database is at leaves that parent alone recorded. `base` empties the table. With
    /// `purge`, the table is emptied first, which also discards revisions this program does
    /// not know. The checksums follow: revisions the stamp marks applied get theirs recorded,
    /// those it marks reverted lose theirs.
    @discardableResult
    public func stamp(_ targets: [String], purge: Bool = false) throws -> MigrationRun {
        let table = configuration.versionTable
        let graph = graph
        return try database.withMigrationSession(configuration) { connection in
            let live = LiveMigrationConnection(connection)
            return try inMigrationTransaction(on: connection, verifies: false) {
                try table.create(on: live)
                let rows = try table.read(on: live)
                if !purge { try requireKnown(rows) }
                let after = try graph.stampedRows(purge ? [] : rows, targets: targets)
                try table.write(from: rows, to: after, order: graph.sorted, on: live)
                let applied = graph.ancestors(of: after)
                let recorded = try table.checksums(.revision, on: live)
                for id in graph.sorted(applied) where recorded[id] == nil {
                    guard let migration = graph.migration(id) else { continue }
                    try table.recordChecksum(.revision, name: id, checksum: checksum(of: migration), on: live)
                }
                for id in recorded.keys.sorted() where !applied.contains(id) {
                    try table.deleteChecksum(.revision, name: id, on: live)
                }
                let run = MigrationRun(steps: [], versionsBefore: graph.sorted(rows), versionsAfter: graph.sorted(after))
                return (run, nil)
            }
        }
    }
}
