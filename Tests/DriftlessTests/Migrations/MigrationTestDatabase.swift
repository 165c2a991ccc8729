import Driftless
import DriftlessMigrations
import DriftlessPostgres
import DriftlessPostgresMigrations
import DriftlessSQLite
import DriftlessSQLiteMigrations
import Foundation
import Logging

/// A database the migration conformance suite can run on.
protocol MigrationTestDatabase: MigratableDatabase {
    /// The schema, one line per table column, index and constraint, for exact comparisons
    /// (the version table left out).
    func schemaDump() throws -> [String]
    /// The first column of every row of a query, as text.
    func strings(_ sql: String) throws -> [String]
    /// Runs `body` while another session holds the lock migrators take (SQLite: a write
    /// transaction on another handle; PostgreSQL: the advisory lock).
    func holdingMigrationLock(_ body: () throws -> Void) throws
    /// Runs a script through the database's own command-line client (`sqlite3 -bail`,
    /// `psql -v ON_ERROR_STOP=1`), as a DBA runs an offline script.
    func runClient(_ script: String) throws -> (status: Int32, output: String, error: String)

    // What the backend's schema looks like, for tests that check it by hand.

    /// A query for the names of the indexes created on the table named by its one parameter
    /// (not those backing constraints).
    static var createdIndexNamesSQL: String { get }
    /// How reflection spells the type a column of this type was created with.
    static func reflectedTypeName(_ type: ColumnType) -> String
    /// Other spellings of the integer, text and boolean types that hold what a record
    /// declares (`INT`, `VARCHAR(80)`...).
    static var compatibleTypeSpellings: (integer: String, text: String, boolean: String) { get }
    /// Whether a primary key column may hold NULL (SQLite's legacy rule) rather than being
    /// NOT NULL.
    static var keyColumnsMayBeNull: Bool { get }
}

extension MigrationTestDatabase {
    func strings(_ sql: String) throws -> [String] {
        try read { connection in
            try LiveMigrationConnection(connection).query(sql, arguments: []).map { row in
                switch row.first {
                case .text(let text)?: text
                case let value?: "\(value)"
                case nil: ""
                }
            }
        }
    }

    func migrator(_ migrations: [Migration], logger: Logger = LogCapture.silentLogger,
                  lockTimeout: Duration = .seconds(60)) throws -> Migrator<Self> {
        try Migrator(database: self, migrations: migrations,
                     configuration: MigratorConfiguration(lockTimeout: lockTimeout, logger: logger))
    }
}

extension SQLiteDatabase: MigrationTestDatabase {
    static let createdIndexNamesSQL = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL"
    static func reflectedTypeName(_ type: ColumnType) -> String { migrationDialect.typeName(type) }
    static let compatibleTypeSpellings = (integer: "INT", text: "VARCHAR(80)", boolean: "INTEGER")
    static let keyColumnsMayBeNull = true

    func schemaDump() throws -> [String] {
        try strings("""
            SELECT type || ' ' || name || ' ON ' || tbl_name || ': ' || COALESCE(sql, '') FROM sqlite_schema
            WHERE name NOT LIKE '%driftless_version%' ORDER BY type, name
            """)
    }
}

extension SQLiteDatabase {
    func runClient(_ script: String) throws -> (status: Int32, output: String, error: String) {
        try sqlite3(path, script)
    }

    func holdingMigrationLock(_ body: () throws -> Void) throws {
        let other = try SQLiteDatabase(path: path, configuration: SQLiteConfiguration(busyTimeout: .milliseconds(50)))
        defer { other.close() }
        try other.write { connection in
            try connection.execute("BEGIN IMMEDIATE")
            defer { try? connection.execute("ROLLBACK") }
            try body()
        }
    }
}

extension PostgresDatabase: MigrationTestDatabase {
    func runClient(_ script: String) throws -> (status: Int32, output: String, error: String) {
        try psql(configuration, script)
    }

    static let createdIndexNamesSQL = """
        SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
        WHERE t.relname = $1 AND t.relnamespace = current_schema()::regnamespace
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
        """
    static func reflectedTypeName(_ type: ColumnType) -> String {
        type == .timestamp ? "timestamp with time zone" : migrationDialect.typeName(type)
    }
    static let compatibleTypeSpellings = (integer: "integer", text: "character varying(80)", boolean: "boolean")
    static let keyColumnsMayBeNull = false

    func holdingMigrationLock(_ body: () throws -> Void) throws {
        let other = try PostgresConnection(configuration: configuration)
        let key = MigratorConfiguration().advisoryLockKey
        try other.execute("SELECT pg_advisory_lock(\(key))")
        defer { try? other.execute("SELECT pg_advisory_unlock(\(key))") }
        try body()
    }

    func schemaDump() throws -> [String] {
        try strings("""
            SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' null=' || is_nullable
                   || ' default=' || COALESCE(column_default, '-')
            FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name NOT LIKE 'driftless\\_version%'
            UNION ALL
            SELECT 'index ' || indexname || ': ' || indexdef FROM pg_indexes
            WHERE schemaname = current_schema() AND tablename NOT LIKE 'driftless\\_version%'
            UNION ALL
            SELECT 'constraint ' || conrelid::regclass::text || ' ' || conname || ': ' || pg_get_constraintdef(oid)
            FROM pg_constraint
            WHERE connamespace = current_schema()::regnamespace AND conrelid::regclass::text NOT LIKE 'driftless\\_version%'
            ORDER BY 1
            """)
    }
}

extension PostgresFixture {
    /// A `postgres://` URL of the fixture's own database, for child processes.
    var url: String {
        get throws {
            guard var components = URLComponents(string: try TestPostgres.url()) else {
                throw ProcessTestError("cannot parse the test server URL")
            }
            components.path = "/" + databaseName
            guard let url = components.string else { throw ProcessTestError("cannot build the fixture's URL") }
            return url
        }
    }
}
