import CLibPQ
import Driftless

/// A PostgreSQL database: a pool of libpq connections shared by reads and writes.
///
/// ```swift
/// let db = try PostgresDatabase(url: "postgres://app@localhost/app")
/// let users = db.repository(User.self)
/// try await users.insert(User(id: 1, name: "Ada", plan: "pro"))
/// let ada = try await users.find(1)
/// ```
///
/// `async` calls run libpq's blocking calls on a thread of each connection's own, never on
/// Swift's cooperative pool; the blocking API (`db.blocking`, for scripts and tools) runs
/// them on the caller's thread. Cancelling a task interrupts its statement (`PQcancel`).
///
/// The pool holds at most ``PostgresConfiguration/maximumConnectionCount`` connections; a
/// caller that finds them all busy for ``PostgresConfiguration/checkoutTimeout`` gets
/// ``DriftlessError/connectionTimeout(seconds:)``. Each checkout checks the idle connection
/// first (see ``PostgresConfiguration/pingAfterIdle``), so connections the server closed
/// while they sat idle (a restart) are replaced before a statement is sent on them.
/// Connections that break in use are dropped when returned. A read that fails because its
/// connection was lost is retried once on a fresh connection (unless a cursor had already
/// handed out rows); a write is not, since its outcome is unknown: it throws a
/// `.connectionLost` ``DatabaseError``.
public final class PostgresDatabase: DatabaseDriver {
    public typealias Connection = PostgresConnection

    public let configuration: PostgresConfiguration
    public let driftContext: DriftContext
    private let pool: ConnectionPool<PostgresConnection>
    public var readingPool: ConnectionPool<PostgresConnection> { pool }
    public var writingPool: ConnectionPool<PostgresConnection> { pool }
    private let listener: SchemaChangeListener?

    /// Connects to the database of a `postgres://` URL (see ``PostgresConfiguration/init(url:maximumConnectionCount:checkoutTimeout:usesUnnamedStatements:drift:)``).
    ///
    /// Throws a `.cannotOpen` ``DatabaseError`` for a malformed URL or an unreachable server.
    public convenience init(url: String, drift: DriftConfiguration = DriftConfiguration()) throws {
        let configuration: PostgresConfiguration
        do {
            configuration = try PostgresConfiguration(url: url, drift: drift)
        } catch let error as PostgresConfigurationError {
            throw error.databaseError
        }
        try self.init(configuration: configuration)
    }

    /// Connects (one connection eagerly, so that errors surface here; more on demand).
    public init(configuration: PostgresConfiguration) throws {
        if let channel = configuration.schemaChangeChannel, let problem = PostgresDialect.postgres.identifierProblem(channel) {
            throw PostgresConfigurationError(.unsupportedValue, component: "schemaChangeChannel", detail: problem).databaseError
        }
        self.configuration = configuration
        var drift = configuration.drift
        drift.tracing = drift.tracing?.describing(
            system: "postgresql", namespace: configuration.parameter("dbname") ?? configuration.parameter("user"))
        driftContext = DriftContext(dialect: .postgres, configuration: drift)
        let open: @Sendable () throws -> PostgresConnection = {
            try PostgresConnection(configuration: configuration)
        }
        let first = try open()
        let pingAfter = configuration.pingAfterIdle
        pool = ConnectionPool(
            name: "driftless-pg",
            maximumCount: configuration.maximumConnectionCount,
            checkoutTimeout: configuration.checkoutTimeout,
            open: open,
            isReusable: { $0.isReusable },
            isHealthy: { connection, idleFor in connection.isHealthy(idleFor: idleFor, pingAfter: pingAfter) })
        pool.add(first)
        let context = driftContext
        listener = configuration.schemaChangeChannel.map { channel in
            SchemaChangeListener(configuration: configuration, channel: channel) { context.invalidateSchema() }
        }
    }

    deinit {
        listener?.stop()
    }

    /// Closes idle connections and stops listening for schema changes. Calls after closing
    /// reopen connections as needed (catch-up then relies on the fingerprint alone).
    public func close() {
        listener?.stop()
        pool.drain()
    }
}
