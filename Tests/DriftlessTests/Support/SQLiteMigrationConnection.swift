import Driftless
import DriftlessMigrations
import DriftlessSQLite

/// A test-only ``MigrationConnection`` over a real SQLite connection, standing in for the
/// production adapter the migration runner provides (Execution/), so that operations, lint
/// and diff can be tested against real files before the runner exists.
struct SQLiteMigrationConnection: MigrationConnection {
    let connection: SQLiteConnection

    var dialect: SQLDialect { .sqlite }

    func execute(_ sql: String, arguments: [DatabaseValue]) throws {
        let statement = try connection.prepare(sql)
        for (index, value) in arguments.enumerated() { try statement.bind(value, at: index + 1) }
        while try statement.step() {}
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
