/// A transaction in progress, for blocking code: repositories from it run on its
/// connection, on the calling thread.
///
/// Valid only inside the closure it was passed to: one kept past it throws
/// ``DriftlessError/Code/transactionEnded``.
public struct BlockingTransaction<Database: DatabaseDriver>: BlockingRepositoryScope {
    /// The database the transaction runs on.
    public let database: Database
    private let context: BlockingTransactionContext<Database.Connection>

    public var blockingTransactionContext: BlockingTransactionContext<Database.Connection>? { context }

    /// A repository whose reads and writes belong to this transaction.
    public func repository<R: Record>(_ type: R.Type) -> BlockingRepository<R, BlockingTransaction<Database>> {
        BlockingRepository(scope: self)
    }

    /// Runs `body` in a savepoint: if it throws, only its changes roll back.
    @available(*, noasync, message: "use Transaction's async savepoint")
    public func savepoint<T>(_ body: (BlockingTransaction<Database>) throws -> T) throws -> T {
        try Self.run(on: try context.openConnection(), database: database, body)
    }

    /// Runs SQL without parameters in the transaction (DDL, for example).
    @available(*, noasync, message: "use Transaction's async execute")
    public func execute(_ sql: String) throws {
        try context.openConnection().execute(sql)
    }

    /// Runs SQL with bound values in the transaction and returns the rows it changed.
    @discardableResult
    @available(*, noasync, message: "use Transaction's async execute")
    public func execute(_ sql: String, arguments: [DatabaseValue]) throws -> Int {
        try context.openConnection().execute(sql, arguments: arguments)
    }

    /// Runs `body` in a transaction on `connection` (a savepoint if one is open).
    static func run<T>(
        on connection: Database.Connection, database: Database, _ body: (BlockingTransaction<Database>) throws -> T
    ) throws -> T {
        let context = BlockingTransactionContext(connection: connection)
        defer { context.isOpen = false }
        return try TransactionControl.run(on: connection) {
            try body(BlockingTransaction(database: database, context: context))
        }
    }
}

@available(*, unavailable, message: "a transaction cannot leave its body")
extension BlockingTransaction: Sendable {}
