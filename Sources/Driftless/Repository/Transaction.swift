/// A transaction in progress: repositories from it run on its connection.
///
/// Valid only inside the closure it was passed to; do not keep it.
public struct Transaction<Database: DatabaseDriver>: Sendable {
    public let database: Database
    let connection: Database.Connection

    /// A repository whose reads and writes belong to this transaction.
    public func repository<R: Record>(_ type: R.Type) -> Repository<R, Database> {
        Repository(database: database, transactionConnection: connection)
    }

    /// Runs `body` in a savepoint: if it throws, only its changes roll back.
    public func savepoint<T>(_ body: () throws -> T) throws -> T {
        try database.inTransaction(on: connection, body)
    }

    /// Runs SQL without parameters in the transaction (DDL, for example).
    public func execute(_ sql: String) throws {
        try connection.execute(sql)
    }
}

extension DatabaseDriver {
    /// A repository for a record type.
    public func repository<R: Record>(_ type: R.Type) -> Repository<R, Self> {
        Repository(database: self)
    }

    /// Runs `body` in a transaction on the writing connection: committed if it returns,
    /// rolled back if it throws.
    public func transaction<T>(_ body: (Transaction<Self>) throws -> T) throws -> T {
        try write { connection in
            try inTransaction(on: connection) { try body(Transaction(database: self, connection: connection)) }
        }
    }

    /// Runs `body` in a transaction, on a thread of the backend's.
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (Transaction<Self>) throws -> T) async throws -> T {
        try await write { connection in
            try inTransaction(on: connection) { try body(Transaction(database: self, connection: connection)) }
        }
    }

    /// Forgets every reflected table, so plans run optimistically again (for example right
    /// after you changed the schema yourself).
    public func invalidateSchema() {
        driftContext.invalidateSchema()
    }
}
