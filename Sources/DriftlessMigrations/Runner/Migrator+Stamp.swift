import Driftless

extension Migrator {
    /// Sets the version table to targets without running any migration: for a database
    /// whose schema was made another way (restored from a dump, created from declarations).
    ///
    /// Each target replaces the rows on its own line of history (a revision before or after
    /// it) and leaves other branches alone; `base` empties the table. With `purge`, the table
    /// is emptied first, which also discards revisions this program does not know.
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
                let run = MigrationRun(steps: [], versionsBefore: graph.sorted(rows), versionsAfter: graph.sorted(after))
                return (run, nil)
            }
        }
    }
}
