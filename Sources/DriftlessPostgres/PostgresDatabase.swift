import CLibPQ
import Dispatch
import Driftless

/// A PostgreSQL database: a pool of libpq connections shared by reads and writes.
///
/// ```swift
/// let db = try PostgresDatabase(url: "postgres://app@localhost/app")
/// let users = db.repository(User.self)
/// try users.insert(User(id: 1, name: "Ada", plan: "pro"))
/// let ada = try await users.find(1)
/// ```
///
/// Synchronous calls run on the caller's thread; `async` calls run on a dispatch queue of
/// the database's own, so libpq's blocking calls never occupy Swift's cooperative pool.
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
    public let blockingQueue = DispatchQueue(label: "driftless.postgres", attributes: .concurrent)
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
        driftContext = DriftContext(dialect: .postgres, configuration: configuration.drift)
        let open: @Sendable () throws -> PostgresConnection = {
            try PostgresConnection(configuration: configuration)
        }
        let first = try open()
        let pingAfter = configuration.pingAfterIdle
        pool = ConnectionPool(
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

    public func read<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        do {
            return try pool.withConnection(body)
        } catch let error as DatabaseError where error.kind == .connectionLost && !error.afterRowsWereDelivered {
            // The server probably restarted: every idle connection is as dead as this one.
            // (A cursor that already handed out rows is not retried: they would come twice.)
            pool.drain()
            return try pool.withConnection(body)
        }
    }

    public func write<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        do {
            return try pool.withConnection(body)
        } catch let error as DatabaseError where error.kind == .connectionLost {
            pool.drain()
            throw error
        }
    }

    /// Runs `body` in `BEGIN ... COMMIT`, or in a savepoint when nested.
    ///
    /// If `body` returns while the transaction is aborted (it caught an error itself), the
    /// transaction is rolled back and a `.transactionAborted` ``DatabaseError`` is thrown
    /// rather than letting `COMMIT` roll back silently.
    public func inTransaction<T>(on connection: PostgresConnection, _ body: () throws -> T) throws -> T {
        let depth = connection.transactionDepth
        let savepoint = "driftless_\(depth)"
        try connection.execute(depth == 0 ? "BEGIN" : "SAVEPOINT \(savepoint)")
        connection.transactionDepth += 1
        defer { connection.transactionDepth -= 1 }
        do {
            let result = try body()
            if connection.session.isInFailedTransaction {
                throw DatabaseError(kind: .transactionAborted, sqlState: "25P02",
                                    message: "the transaction was aborted by an earlier error and has been rolled back")
            }
            try connection.execute(depth == 0 ? "COMMIT" : "RELEASE SAVEPOINT \(savepoint)")
            return result
        } catch {
            if depth == 0 {
                try? connection.execute("ROLLBACK")
            } else {
                try? connection.execute("ROLLBACK TO SAVEPOINT \(savepoint); RELEASE SAVEPOINT \(savepoint)")
            }
            throw error
        }
    }

    /// Runs SQL without parameters on a connection of the pool (DDL, for example).
    public func execute(_ sql: String) throws {
        try write { try $0.execute(sql) }
    }

    /// Runs one statement with bound values (`$1`, `$2`, ..., one per placeholder) and
    /// returns the rows changed.
    @discardableResult
    public func execute(_ sql: String, arguments: [DatabaseValue]) throws -> Int {
        try RawSQL.check(sql)
        return try write { connection in
            let statement = PostgresStatement(session: connection.session, sql: sql, name: nil)
            try RawSQL.bind(arguments, to: statement)
            while try statement.step() {}
            return statement.changedRowCount
        }
    }

    /// Closes idle connections and stops listening for schema changes. Calls after closing
    /// reopen connections as needed (catch-up then relies on the fingerprint alone).
    public func close() {
        listener?.stop()
        pool.drain()
    }
}
