/// A database as the core drives it: pools of connections for reading and writing, and the
/// drift state its repositories share. A backend supplies these; the core builds the rest
/// (repositories, transactions, the `async` and the blocking API) on top.
///
/// The `async` API takes a connection from a pool without blocking (the task suspends while
/// every connection is busy) and runs its C calls on that connection's thread; the blocking
/// API (``blocking``, and ``read(_:)``/``write(_:)`` here) runs them on the calling thread.
public protocol DatabaseDriver: RepositoryScope, BlockingRepositoryScope, Sendable where Database == Self {
    associatedtype Connection: DriverConnection

    /// The schema map, plan cache and drift monitor of this database.
    var driftContext: DriftContext { get }
    /// The connections reads use.
    var readingPool: ConnectionPool<Connection> { get }
    /// The connections writes and transactions use (the same pool as reads on a server
    /// backend; SQLite's single writer).
    var writingPool: ConnectionPool<Connection> { get }
}

extension DatabaseDriver {
    public var database: Self { self }
    public var transactionContext: TransactionContext<Connection>? { nil }
    public var blockingTransactionContext: BlockingTransactionContext<Connection>? { nil }

    // MARK: Blocking

    /// Runs `body` with a connection suited to reading, on the calling thread (blocking it
    /// while every connection is busy).
    ///
    /// A read that fails because its connection was lost (a server restart) is retried once
    /// on a fresh connection, unless it had already handed out rows.
    @available(*, noasync, message: "use the async API: this blocks the calling thread")
    @inlinable
    public func read<T>(_ body: (Connection) throws -> T) throws -> T {
        let context = driftContext
        func attempt() throws -> T {
            try readingPool.withConnection { connection in
                context.noteConnectionUse()
                return try body(connection)
            }
        }
        do {
            return try attempt()
        } catch let error as DatabaseError where error.kind == .connectionLost && !error.afterRowsWereDelivered {
            // The server probably restarted: every idle connection is as dead as this one.
            readingPool.replaceIdleConnections()
            return try attempt()
        }
    }

    /// Runs `body` with a connection that writes, on the calling thread. A write whose
    /// connection was lost is not retried (its outcome is unknown): it throws `.connectionLost`.
    @available(*, noasync, message: "use the async API: this blocks the calling thread")
    @inlinable
    public func write<T>(_ body: (Connection) throws -> T) throws -> T {
        let context = driftContext
        do {
            return try writingPool.withConnection { connection in
                context.noteConnectionUse()
                return try body(connection)
            }
        } catch let error as DatabaseError where error.kind == .connectionLost {
            writingPool.replaceIdleConnections()
            throw error
        }
    }

    // MARK: Async

    /// ``read(_:)`` for `async` callers: `body` runs on the connection's thread.
    nonisolated(nonsending) func reading<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        let context = driftContext
        let job: @Sendable (Connection) throws -> T = { connection in
            context.noteConnectionUse()
            return try body(connection)
        }
        do {
            return try await readingPool.run(job)
        } catch let error as DatabaseError where error.kind == .connectionLost && !error.afterRowsWereDelivered {
            readingPool.replaceIdleConnections()
            return try await readingPool.run(job)
        }
    }

    /// ``write(_:)`` for `async` callers: `body` runs on the connection's thread.
    nonisolated(nonsending) func writing<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        let context = driftContext
        do {
            return try await writingPool.run { connection in
                context.noteConnectionUse()
                return try body(connection)
            }
        } catch let error as DatabaseError where error.kind == .connectionLost {
            writingPool.replaceIdleConnections()
            throw error
        }
    }

    /// Runs blocking work that takes connections itself through the blocking API (the
    /// migrator's) on a thread started for it, and resumes the caller with its result: how an
    /// `async` API over blocking code stays off Swift's cooperative pool.
    ///
    /// The work is not interrupted if the task is cancelled (a migration runs to its end).
    public func offCooperativePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await BackendThread.run(name: "driftless-work", work)
    }
}
