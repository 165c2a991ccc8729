import Driftless
import DriftlessMigrations
import DriftlessPostgres

/// A test-only ``MigrationConnection`` over a real PostgreSQL connection, standing in for
/// the production adapter the migration runner provides (Execution/).
///
/// Statements without arguments go through the simple query protocol (several statements
/// at once, and `CREATE INDEX CONCURRENTLY` outside a transaction); statements with
/// arguments are prepared and bound.
struct PostgresMigrationConnection: MigrationConnection {
    let connection: PostgresConnection

    var dialect: SQLDialect { .postgres }

    func execute(_ sql: String, arguments: [DatabaseValue]) throws {
        if arguments.isEmpty {
            try connection.execute(sql)
            return
        }
        _ = try query(sql, arguments: arguments)
    }

    func executeScript(_ sql: String) throws {
        try connection.execute(sql)
    }

    func query(_ sql: String, arguments: [DatabaseValue]) throws -> [[DatabaseValue]] {
        let statement = try connection.prepare(sql)
        for (index, value) in arguments.enumerated() { try statement.bind(value, at: index + 1) }
        var rows: [[DatabaseValue]] = []
        while try statement.step() {
            rows.append((0..<statement.columnCount).map { statement.value(at: $0) })
        }
        return rows
    }

    func reflectTable(_ table: TableName) throws -> TableSchema? {
        try connection.reflectTable(table)
    }
}
