import Driftless

extension MigrationDialect {
    public func apply(_ operation: SchemaOperation, on connection: some MigrationConnection, transactional: Bool) throws {
        try applyByRendering(operation, on: connection, transactional: transactional)
    }

    /// The default way to apply an operation: `.execute` with its values bound (nothing is
    /// spliced into SQL), `.script` as one script (outside a transaction one statement at a
    /// time, split by the dialect's ``syntax``: PostgreSQL runs a multi-statement string as
    /// one implicit transaction, where `CREATE INDEX CONCURRENTLY` fails), `.custom` code
    /// against the connection, and anything else as ``statements(for:)``.
    public func applyByRendering(_ operation: SchemaOperation, on connection: some MigrationConnection, transactional: Bool) throws {
        switch operation {
        case .execute(let sql, let arguments):
            try connection.execute(sql, arguments: arguments)
        case .script(let script) where !transactional:
            for statement in SQLTokenizer(syntax: syntax).statementTexts(script) {
                try connection.executeScript(statement)
            }
        case .script(let script):
            try connection.executeScript(script)
        case .custom(_, let run):
            try run(connection)
        default:
            for statement in try statements(for: operation) {
                try connection.execute(statement, arguments: [])
            }
        }
    }
}
