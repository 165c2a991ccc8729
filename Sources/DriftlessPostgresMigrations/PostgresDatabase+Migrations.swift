import Driftless
import DriftlessMigrations
import DriftlessPostgres
import Foundation

/// On PostgreSQL a whole migration run holds a session-level advisory lock on a connection
/// of its own, taken with `pg_try_advisory_lock` in a loop until the lock timeout; the
/// version table is re-read under it, so of several processes starting at once exactly one
/// applies each migration. If the process dies, its session ends and the server releases
/// the lock and rolls back the migration's open transaction.
///
/// Session advisory locks need a session of their own: behind PgBouncer in transaction
/// pooling mode, point the migrator at the server (or a session-mode pool) directly.
extension PostgresDatabase: MigratableDatabase {
    public static var migrationDialect: PostgresDialect { .postgres }

    public func withMigrationSession<T>(_ configuration: MigratorConfiguration, _ body: (PostgresConnection) throws -> T) throws -> T {
        let connection = try PostgresConnection(configuration: self.configuration)
        let live = LiveMigrationConnection(connection)
        let key = DatabaseValue.integer(configuration.advisoryLockKey)
        let deadline = configuration.lockDeadline
        while try live.query("SELECT pg_try_advisory_lock($1)", arguments: [key]).first?.first != .integer(1) {
            guard ContinuousClock.now < deadline else {
                throw MigrationError.lockTimeout(seconds: configuration.lockTimeoutSeconds,
                                                 holder: (try? lockHolder(on: live, key: configuration.advisoryLockKey)) ?? "another session")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        defer { _ = try? live.query("SELECT pg_advisory_unlock($1)", arguments: [key]) }
        return try body(connection)
    }

    /// Who holds the advisory lock, for the timeout message.
    private func lockHolder(on live: LiveMigrationConnection<PostgresConnection>, key: Int64) throws -> String {
        let bits = UInt64(bitPattern: key)
        let rows = try live.query("""
            SELECT a.pid, COALESCE(a.application_name, ''), COALESCE(host(a.client_addr), 'local')
            FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1::bigint::oid
              AND l.objid = $2::bigint::oid AND l.objsubid = 1
            """, arguments: [.integer(Int64(bits >> 32)), .integer(Int64(bits & 0xFFFF_FFFF))])
        guard let row = rows.first, row.count == 3 else { return "another session" }
        return "server process \(row[0].textValue) (\(row[1].textValue.isEmpty ? "no application name" : row[1].textValue), \(row[2].textValue))"
    }

    public func beginMigrationTransaction(on connection: PostgresConnection, _ configuration: MigratorConfiguration) throws {
        try connection.execute("BEGIN")
    }

    public func verifyMigrationTransaction(on connection: PostgresConnection, revision: String) throws {
        // Fails with 25P02 if an operation caught an error itself and left the transaction
        // aborted, rather than letting COMMIT roll back silently.
        try connection.execute("SELECT 1")
    }

    public func endMigrationTransaction(on connection: PostgresConnection, commit: Bool) throws {
        try connection.execute(commit ? "COMMIT" : "ROLLBACK")
    }

    public func withNonTransactionalLock<T>(
        on connection: PostgresConnection, _ configuration: MigratorConfiguration, _ body: () throws -> T
    ) throws -> T {
        try body()  // the session's advisory lock is already held
    }

    public func announceSchemaChange(on connection: PostgresConnection) throws {
        guard let channel = configuration.schemaChangeChannel else { return }
        try connection.execute("NOTIFY " + PostgresDialect.postgres.quote(channel))
    }

    public func schemaDefinitions() throws -> [String] { [] }

    /// Offline scripts notify the default channel (``PostgresConfiguration/defaultSchemaChangeChannel``),
    /// and say that they are UTF-8: psql's client encoding follows the locale it runs in, and
    /// under another one the script's names and literals would arrive as other text.
    public static var offlineFraming: OfflineFraming {
        OfflineFraming(before: ["SET client_encoding = 'UTF8';"],
                       beforeCommit: ["NOTIFY " + PostgresDialect.postgres.quote(PostgresConfiguration.defaultSchemaChangeChannel) + ";"])
    }

    public static func withShadowConnection<T>(_ body: ((any MigrationConnection)?) throws -> T) throws -> T {
        try body(nil)
    }
}
