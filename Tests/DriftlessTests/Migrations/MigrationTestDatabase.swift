import Driftless
import Logging
import DriftlessMigrations
import DriftlessSQLite

/// A database the migration conformance suite can run on.
protocol MigrationTestDatabase: MigratableDatabase {
    /// The schema, one line per table column, index and constraint, for exact comparisons
    /// (the version table left out).
    func schemaDump() throws -> [String]
    /// The first column of every row of a query, as text.
    func strings(_ sql: String) throws -> [String]
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
    func schemaDump() throws -> [String] {
        try strings("""
            SELECT type || ' ' || name || ' ON ' || tbl_name || ': ' || COALESCE(sql, '') FROM sqlite_schema
            WHERE name NOT LIKE '%driftless_version%' ORDER BY type, name
            """)
    }
}
