import Driftless
import DriftlessMigrations
import DriftlessPostgres
import DriftlessSQLite
import Foundation
import Logging

/// What the property suites need of a backend: fresh databases (many cases share one), a
/// way to run an offline script through the backend's own command-line tool, and the
/// catalog, to check that nothing but what a case created has changed.
protocol PropertyBackend {
    associatedtype Database: TestDatabase & MigrationTestDatabase
    static var name: String { get }
    /// A fresh, empty database of its own (with `createMissingTables` on).
    static func makeDatabase() throws -> PropertyDatabase<Database>
}

/// A fresh database for a property suite, with a sentinel table whose rows must never change.
struct PropertyDatabase<Database: TestDatabase & MigrationTestDatabase> {
    let database: Database
    /// Runs a script through `sqlite3 -bail` or `psql -v ON_ERROR_STOP=1` on this database.
    let runScript: (String) throws -> (status: Int32, output: String, error: String)
    /// Every table and its columns, as UTF-8 bytes (names are compared byte for byte).
    let catalog: () throws -> [[UInt8]: [[UInt8]]]

    static var sentinelRows: [[DatabaseValue]] { [[.integer(1), .text("keep me")], [.integer(2), .text("and me")]] }

    /// Creates the sentinel table.
    func plantSentinel() throws {
        try database.executeRaw("CREATE TABLE sentinel (id \(database.sqlType(.integer)) PRIMARY KEY, note \(database.sqlType(.text)) NOT NULL)")
        try database.executeRaw("INSERT INTO sentinel (id, note) VALUES (1, 'keep me'), (2, 'and me')")
    }

    /// Nil when the sentinel's rows are intact, else what they are now.
    func sentinelProblem() -> String? {
        do {
            let rows = try rows("SELECT id, note FROM sentinel ORDER BY id")
            return rows == Self.sentinelRows ? nil : "the sentinel table holds \(rows)"
        } catch {
            return "the sentinel table cannot be read: \(error)"
        }
    }

    /// A query's rows (with bound values), through the production migration connection.
    func rows(_ sql: String, _ arguments: [DatabaseValue] = []) throws -> [[DatabaseValue]] {
        try database.read { try LiveMigrationConnection($0).query(sql, arguments: arguments) }
    }
}

enum SQLitePropertyBackend: PropertyBackend {
    static let name = "SQLite"

    static func makeDatabase() throws -> PropertyDatabase<SQLiteDatabase> {
        let directory = TemporaryDirectory()
        let path = directory.path("property.sqlite")
        let database = try SQLiteDatabase(path: path, configuration: SQLiteConfiguration(
            drift: DriftConfiguration(createMissingTables: true, logger: LogCapture.silentLogger)))
        let result = PropertyDatabase(
            database: database,
            runScript: { script in try sqlite3(path, script) },
            catalog: {
                let tables = try database.read { connection in
                    try LiveMigrationConnection(connection).query(
                        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'", arguments: [])
                }
                var catalog: [[UInt8]: [[UInt8]]] = [:]
                for row in tables {
                    guard case .text(let table) = row[0] else { continue }
                    let columns = try database.read { connection in
                        try LiveMigrationConnection(connection).query("SELECT name FROM pragma_table_info(?) ORDER BY cid", arguments: [.text(table)])
                    }
                    catalog[Array(table.utf8)] = columns.compactMap { if case .text(let name) = $0[0] { Array(name.utf8) } else { nil } }
                }
                return catalog
            })
        try result.plantSentinel()
        return result
    }
}

enum PostgresPropertyBackend: PropertyBackend {
    static let name = "PostgreSQL"

    static func makeDatabase() throws -> PropertyDatabase<PostgresDatabase> {
        let fixture = try PostgresFixture(drift: DriftConfiguration(createMissingTables: true, logger: LogCapture.silentLogger))
        let database = fixture.database
        let result = PropertyDatabase(
            database: database,
            runScript: { script in try psql(fixture.configuration, script) },
            catalog: {
                let rows = try database.read { connection in
                    try LiveMigrationConnection(connection).query("""
                        SELECT c.relname, a.attname FROM pg_catalog.pg_class c
                        JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                        WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'
                        ORDER BY c.relname, a.attnum
                        """, arguments: [])
                }
                var catalog: [[UInt8]: [[UInt8]]] = [:]
                for row in rows {
                    guard case .text(let table) = row[0], case .text(let column) = row[1] else { continue }
                    catalog[Array(table.utf8), default: []].append(Array(column.utf8))
                }
                return catalog
            })
        try result.plantSentinel()
        return result
    }
}
