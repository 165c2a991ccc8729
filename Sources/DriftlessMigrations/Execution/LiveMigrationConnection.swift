import Driftless

/// A ``MigrationConnection`` over a backend connection: what migrations run on online.
///
/// Generic over the core's `DriverConnection`, so the same code drives every backend whose
/// dialect is a ``MigrationDialect``: statements with bound values are prepared, bound and
/// stepped; scripts go through `execute` (which runs several statements); reflection is the
/// backend's own. Statements are prepared per call and not cached: a migration runs each once.
public struct LiveMigrationConnection<Connection: DriverConnection> {
    /// The backend connection statements run on.
    public let connection: Connection

    public init(_ connection: Connection) {
        self.connection = connection
    }
}

extension LiveMigrationConnection: MigrationConnection where Connection.Dialect: MigrationDialect {
    public var dialect: any MigrationDialect { connection.dialect }

    public func execute(_ sql: String, arguments: [DatabaseValue]) throws {
        guard !arguments.isEmpty else { return try connection.execute(sql) }
        let statement = try connection.prepare(sql)
        try RawSQL.bind(arguments, to: statement)
        while try statement.step() {}
    }

    public func executeScript(_ sql: String) throws {
        try connection.execute(sql)
    }

    public func query(_ sql: String, arguments: [DatabaseValue]) throws -> [[DatabaseValue]] {
        let statement = try connection.prepare(sql)
        try RawSQL.bind(arguments, to: statement)
        var rows: [[DatabaseValue]] = []
        while try statement.step() {
            rows.append((0..<statement.columnCount).map { statement.value(at: $0) })
        }
        return rows
    }

    public func reflectTable(_ table: TableName) throws -> TableSchema? {
        try connection.reflectTable(table)
    }
}
