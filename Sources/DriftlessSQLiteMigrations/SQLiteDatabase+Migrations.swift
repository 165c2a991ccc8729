import Driftless
import DriftlessMigrations
import DriftlessSQLite
import Foundation

/// SQLite has no session lock, so each migration takes the write lock itself: `BEGIN
/// IMMEDIATE`, then the version table is re-read inside it, so that of several processes
/// starting at once exactly one applies each migration and the others see it done.
extension SQLiteDatabase: MigratableDatabase {
    public static var migrationDialect: SQLiteDialect { .sqlite }

    public func withMigrationSession<T>(_ configuration: MigratorConfiguration, _ body: (SQLiteConnection) throws -> T) throws -> T {
        try write(body)
    }

    public func beginMigrationTransaction(on connection: SQLiteConnection, _ configuration: MigratorConfiguration) throws {
        // Table rebuilds drop and recreate tables that others reference; SQLite ignores this
        // pragma inside a transaction, hence here. foreign_key_check runs before commit.
        try connection.execute("PRAGMA foreign_keys = OFF")
        // SQLite waits for another writer by its busy timeout: bound it by the lock timeout
        // (shorter or longer than the connection's own), and put the connection's back after.
        let deadline = configuration.lockDeadline
        defer { try? connection.execute("PRAGMA busy_timeout = \(Self.milliseconds(self.configuration.busyTimeout))") }
        while true {
            do {
                let remaining = max(ContinuousClock.Duration.zero, deadline - ContinuousClock.now)
                try connection.execute("PRAGMA busy_timeout = \(Self.milliseconds(remaining))")
                return try connection.execute("BEGIN IMMEDIATE")
            } catch let error as DatabaseError where error.kind == .busy {
                guard ContinuousClock.now < deadline else {
                    try? connection.execute("PRAGMA foreign_keys = ON")
                    throw MigrationError.lockTimeout(seconds: configuration.lockTimeoutSeconds,
                                                     holder: "another connection or process writing to \(path)")
                }
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
    }

    private static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    public func verifyMigrationTransaction(on connection: SQLiteConnection, revision: String) throws {
        let live = LiveMigrationConnection(connection)
        let rows = try live.query("PRAGMA foreign_key_check", arguments: [])
        guard !rows.isEmpty else { return }
        let violations = rows.prefix(10).map { row in
            let table = row.count > 0 ? row[0].textValue : "?"
            let rowID = row.count > 1 ? row[1].textValue : "?"
            let parent = row.count > 2 ? row[2].textValue : "?"
            return "\(table) row \(rowID) references a missing row of \(parent)"
        }
        throw MigrationError.foreignKeyViolations(
            revision: revision, violations: violations + (rows.count > 10 ? ["and \(rows.count - 10) more"] : []))
    }

    public func endMigrationTransaction(on connection: SQLiteConnection, commit: Bool) throws {
        defer { try? connection.execute("PRAGMA foreign_keys = ON") }
        if commit {
            try connection.execute("COMMIT")
        } else {
            // SQLite may have rolled back already (after SQLITE_FULL, for example).
            try? connection.execute("ROLLBACK")
        }
    }

    public func withNonTransactionalLock<T>(
        on connection: SQLiteConnection, _ configuration: MigratorConfiguration, _ body: () throws -> T
    ) throws -> T {
        guard let lockPath = migrationLockPath else { return try body() }
        return try MigrationFileLock(path: lockPath).withLock(until: configuration.lockDeadline, onTimeout: {
            MigrationError.lockTimeout(seconds: configuration.lockTimeoutSeconds,
                                       holder: "another process migrating \(path) (\(lockPath))")
        }, body)
    }

    /// The lock file beside a database file; nil for in-memory databases and URIs.
    private var migrationLockPath: String? {
        guard !path.isEmpty, path != ":memory:", !path.hasPrefix("file:") else { return nil }
        return path + "-migrations.lock"
    }

    public func announceSchemaChange(on connection: SQLiteConnection) throws {
        // Other SQLite connections notice through PRAGMA schema_version on their own.
    }

    public func schemaDefinitions() throws -> [String] {
        try read { connection in
            let rows = try LiveMigrationConnection(connection).query("""
                SELECT sql FROM sqlite_schema
                WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'
                ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 WHEN 'view' THEN 2 ELSE 3 END, rowid
                """, arguments: [])
            return rows.compactMap { row in
                if case .text(let sql)? = row.first { return sql }
                return nil
            }
        }
    }

    public static var offlineFraming: OfflineFraming {
        OfflineFraming(before: ["PRAGMA foreign_keys = OFF;"], begin: "BEGIN IMMEDIATE;", after: ["PRAGMA foreign_keys = ON;"])
    }

    public static func withShadowConnection<T>(_ body: ((any MigrationConnection)?) throws -> T) throws -> T {
        let shadow = try SQLiteDatabase(path: ":memory:")
        return try shadow.write { connection in try body(LiveMigrationConnection(connection)) }
    }
}
