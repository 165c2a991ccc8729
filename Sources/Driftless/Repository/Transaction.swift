/// A transaction in progress, for `async` code: repositories from it run on its connection.
///
/// ```swift
/// try await db.transaction { tx in
///     let users = tx.repository(User.self)
///     try await users.insert(ada)
///     try await tx.savepoint { sp in try await sp.repository(Audit.self).insert(entry) }
/// }
/// ```
///
/// The transaction holds one connection of the pool for its whole body; each statement runs
/// on that connection's thread, the body in between in the caller's isolation. It commits if
/// the body returns and rolls back if it throws, including when the task is cancelled
/// mid-way (the running statement is interrupted, the transaction rolled back, and
/// ``DriftlessError`` `.cancelled` thrown).
///
/// A transaction is not `Sendable`, and nor are its repositories: they cannot be handed to
/// another task. One kept past the end of its body throws
/// ``DriftlessError/Code/transactionEnded``.
public struct Transaction<Database: DatabaseDriver>: RepositoryScope {
    /// The database the transaction runs on.
    public let database: Database
    private let context: TransactionContext<Database.Connection>

    public var transactionContext: TransactionContext<Database.Connection>? { context }

    /// A repository whose reads and writes belong to this transaction.
    public func repository<R: Record>(_ type: R.Type) -> Repository<R, Transaction<Database>> {
        Repository(scope: self)
    }

    /// Runs `body` in a savepoint: if it throws, only its changes roll back.
    nonisolated(nonsending) public func savepoint<T>(
        _ body: nonisolated(nonsending) (Transaction<Database>) async throws -> T
    ) async throws -> T {
        guard context.isOpen else { throw DriftlessError.transactionEnded }
        return try await Transaction.run(on: context.lease, database: database, releasing: false, body)
    }

    /// Runs SQL without parameters in the transaction (DDL, for example).
    nonisolated(nonsending) public func execute(_ sql: String) async throws {
        try await context.run { try $0.execute(sql) }
    }

    /// Runs SQL with bound values in the transaction and returns the rows it changed.
    @discardableResult
    nonisolated(nonsending) public func execute(_ sql: String, arguments: [DatabaseValue]) async throws -> Int {
        try await context.run { try $0.execute(sql, arguments: arguments) }
    }

    /// Begins a transaction (a savepoint if one is open) on the lease's connection, runs
    /// `body`, and commits or rolls back, each step a job on the connection's thread.
    nonisolated(nonsending) static func run<T>(
        on lease: ConnectionLease<Database.Connection>, database: Database, releasing: Bool,
        _ body: nonisolated(nonsending) (Transaction<Database>) async throws -> T
    ) async throws -> T {
        let driftContext = database.driftContext
        let depth = try await lease.run { connection in
            driftContext.noteConnectionUse()
            return try TransactionControl.begin(on: connection)
        }
        let context = TransactionContext(lease: lease, driftContext: driftContext)
        do {
            let result = try await body(Transaction(database: database, context: context))
            context.isOpen = false
            // Not interruptible: once the body is done, the commit runs to its end.
            try await lease.run(interruptible: false, releasing: releasing) { connection in
                try TransactionControl.commit(on: connection, depth: depth)
            }
            return result
        } catch {
            context.isOpen = false
            _ = try? await lease.run(interruptible: false, releasing: releasing) { connection in
                TransactionControl.rollBack(on: connection, depth: depth)
            }
            throw error
        }
    }
}

@available(*, unavailable, message: "a transaction cannot leave its body")
extension Transaction: Sendable {}

extension DatabaseDriver {
    /// Runs `body` in a transaction: committed if it returns, rolled back if it throws.
    ///
    /// Waiting for the writing connection suspends the task; cancelling it stops the wait,
    /// or interrupts the running statement and rolls the transaction back.
    nonisolated(nonsending) public func transaction<T>(
        _ body: nonisolated(nonsending) (Transaction<Self>) async throws -> T
    ) async throws -> T {
        do {
            let lease = try await writingPool.lease()
            defer { lease.release() }
            return try await Transaction.run(on: lease, database: self, releasing: true, body)
        } catch let error as DatabaseError where error.kind == .connectionLost {
            writingPool.replaceIdleConnections()
            throw error
        }
    }
}
