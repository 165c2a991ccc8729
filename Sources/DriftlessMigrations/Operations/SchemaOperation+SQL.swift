import Driftless

extension SchemaOperation {
    /// The statements this operation runs on `dialect`'s database, rendered from the
    /// operation alone, without a database (see ``MigrationDialect/statements(for:)``).
    ///
    /// ``apply(on:transactional:)`` runs these statements for most operations. Offline
    /// scripts and `revision --autogenerate` do not call this: they apply the operations to
    /// the offline recorder (with an in-memory shadow database on SQLite), so that they also
    /// render what this cannot. Values of `.execute` are written in as literals (see
    /// ``MigrationDialect/offlineLiteral(_:)``); identifiers are always quoted.
    ///
    /// - Throws: ``MigrationError/Code/offlineUnsupported`` for what needs the live table
    ///   (on SQLite, a table rebuild) or runs code (`custom`);
    ///   ``MigrationError/Code/invalidOperation`` for a name or default the database cannot
    ///   hold as written (empty, holding NUL, too long; a default with no exact literal).
    public func sql(for dialect: any MigrationDialect) throws(MigrationError) -> [String] {
        if let problem = problem(for: dialect) { throw .invalidOperation("\(self): \(problem)") }
        return try dialect.statements(for: self)
    }
}
