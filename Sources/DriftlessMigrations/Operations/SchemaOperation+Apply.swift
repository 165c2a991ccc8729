import Driftless

extension SchemaOperation {
    /// Runs the operation on a connection, the way its dialect does it
    /// (``MigrationDialect/apply(_:on:transactional:)``): most operations run the statements
    /// of ``sql(for:)``; on SQLite what `ALTER TABLE` cannot do rebuilds the table; on
    /// PostgreSQL a type change first reads the column's current type to pick a `USING`
    /// conversion. `.execute` binds its values; nothing is spliced into SQL.
    ///
    /// The operation runs in whatever transaction the caller holds (the runner's, normally).
    /// Before anything is sent, names and defaults are checked against the dialect.
    ///
    /// - Parameter transactional: Whether the caller holds a transaction. Without one, a
    ///   `.script` sends its statements one at a time.
    public func apply(on connection: some MigrationConnection, transactional: Bool = true) throws {
        let dialect = connection.dialect
        if let problem = problem(for: dialect) { throw MigrationError.invalidOperation("\(self): \(problem)") }
        try dialect.apply(self, on: connection, transactional: transactional)
    }
}
