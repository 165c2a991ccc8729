import Driftless

extension SchemaOperation {
    /// Runs the operation on a connection, rendered for its dialect.
    ///
    /// Most operations run the statements of ``sql(for:)``. On SQLite, operations its
    /// `ALTER TABLE` cannot do use the table rebuild (see ``SQLiteTableRebuild``); on
    /// PostgreSQL, a type change first reads the column's current type to pick a `USING`
    /// conversion PostgreSQL accepts. `.execute` binds its values; nothing is spliced into SQL.
    ///
    /// The operation runs in whatever transaction the caller holds (the runner's, normally).
    ///
    /// - Parameter transactional: Whether the caller holds a transaction. Without one, a
    ///   `.script` sends its statements one at a time (split by ``SQLTokenizer``): PostgreSQL
    ///   runs a multi-statement string as one implicit transaction, where
    ///   `CREATE INDEX CONCURRENTLY` fails.
    public func apply(on connection: some MigrationConnection, transactional: Bool = true) throws {
        let dialect = connection.dialect
        if let problem = problem(for: dialect) { throw MigrationError.invalidOperation("\(self): \(problem)") }
        let isSQLite = dialect.name == "sqlite"
        switch self {
        case .execute(let sql, let arguments):
            try connection.execute(sql, arguments: arguments)
        case .script(let script) where !transactional:
            for statement in SQLTokenizer(dialectName: dialect.name).statementTexts(script) {
                try connection.executeScript(statement)
            }
        case .script(let script):
            try connection.executeScript(script)
        case .custom(_, let run):
            try run(connection)
        case .addColumn(let table, let column, let ifNotExists) where isSQLite:
            try SQLiteAlterations.addColumn(table, column, ifNotExists: ifNotExists, on: connection)
        case .dropColumn(let table, let column) where isSQLite:
            try SQLiteAlterations.dropColumn(table, column, on: connection)
        case .alterColumn(let table, let column, let alteration) where isSQLite:
            try SQLiteAlterations.alterColumn(table, column, alteration, on: connection)
        case .alterColumn(let table, let column, let alteration) where alteration.type != nil:
            let current = try connection.reflectTable(table)?.column(named: column, caseInsensitive: false)?.declaredType
            if let sql = DDLRenderer(dialect: dialect).alterColumnPostgres(table, column, alteration, currentType: current) {
                try connection.execute(sql, arguments: [])
            }
        default:
            for statement in try sql(for: dialect) {
                try connection.execute(statement, arguments: [])
            }
        }
    }
}
