/// Where an `async` ``Repository``'s statements run: a database, whose pool lends a
/// connection to each call, or a ``Transaction``, whose connection every call uses.
///
/// Only Driftless's own types conform. A repository is `Sendable` exactly when its scope is:
/// a database's repositories can be shared by any number of tasks; a transaction's cannot
/// leave the transaction's body.
public protocol RepositoryScope {
    associatedtype Database: DatabaseDriver
    /// The database the statements run on.
    var database: Database { get }
    /// The transaction the statements belong to; nil for the database itself.
    var transactionContext: TransactionContext<Database.Connection>? { get }
}

/// Where a ``BlockingRepository``'s statements run: a database, or a
/// ``BlockingTransaction``. Only Driftless's own types conform.
public protocol BlockingRepositoryScope {
    associatedtype Database: DatabaseDriver
    /// The database the statements run on.
    var database: Database { get }
    /// The transaction the statements belong to; nil for the database itself.
    var blockingTransactionContext: BlockingTransactionContext<Database.Connection>? { get }
}

/// The state an `async` ``Transaction`` shares with its repositories and savepoints: the
/// connection it holds, and whether it is still open.
///
/// Not `Sendable`, so neither a transaction nor its repositories can be handed to another
/// task; one kept past its transaction's end throws ``DriftlessError/Code/transactionEnded``.
public final class TransactionContext<Connection: DriverConnection> {
    let lease: ConnectionLease<Connection>
    let driftContext: DriftContext
    /// False once the transaction (or savepoint) this context belongs to has ended.
    var isOpen = true

    init(lease: ConnectionLease<Connection>, driftContext: DriftContext) {
        self.lease = lease
        self.driftContext = driftContext
    }

    /// Runs `body` on the transaction's connection, on its thread.
    nonisolated(nonsending) func run<T: Sendable>(
        _ body: @escaping @Sendable (Connection) throws -> T
    ) async throws -> T {
        guard isOpen else { throw DriftlessError.transactionEnded }
        let context = driftContext
        return try await lease.run { connection in
            context.noteConnectionUse()
            return try body(connection)
        }
    }
}

@available(*, unavailable, message: "a transaction cannot leave its body")
extension TransactionContext: Sendable {}

/// The state a ``BlockingTransaction`` shares with its repositories and savepoints: its
/// connection, used on the transaction's thread, and whether it is still open.
public final class BlockingTransactionContext<Connection: DriverConnection> {
    let connection: Connection
    var isOpen = true

    init(connection: Connection) {
        self.connection = connection
    }

    /// The transaction's connection, while the transaction is open.
    @usableFromInline
    func openConnection() throws -> Connection {
        guard isOpen else { throw DriftlessError.transactionEnded }
        return connection
    }
}

@available(*, unavailable, message: "a transaction cannot leave its body")
extension BlockingTransactionContext: Sendable {}
