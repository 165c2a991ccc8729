/// How every transaction and savepoint begins and ends, on every backend: the outermost one
/// with the connection's ``DriverConnection/beginTransactionSQL`` and `COMMIT`, nested ones
/// as savepoints `driftless_1`, `driftless_2`, ... Backends supply only what differs (the
/// `BEGIN` statement, whether a transaction is still open, the check before commit).
///
/// If the body throws, or the commit does, the transaction (or savepoint) rolls back and
/// the error is thrown. The synchronous API runs the three steps around a body on the
/// calling thread (``run(on:_:)``); an `async` transaction runs each step as a job of its own
/// on the connection's thread, around an `async` body.
@usableFromInline
package enum TransactionControl {
    /// Begins a transaction, or a savepoint inside one; returns the depth it opened at.
    static func begin(on connection: some DriverConnection) throws -> Int {
        let depth = connection.transactionDepth
        try connection.execute(depth == 0 ? connection.beginTransactionSQL : "SAVEPOINT \(savepoint(depth))")
        connection.transactionDepth = depth + 1
        return depth
    }

    /// Commits what ``begin(on:)`` opened at `depth` (or releases the savepoint).
    static func commit(on connection: some DriverConnection, depth: Int) throws {
        connection.transactionDepth = depth
        try connection.checkTransactionCanCommit()
        try connection.execute(depth == 0 ? "COMMIT" : "RELEASE SAVEPOINT \(savepoint(depth))")
    }

    /// Rolls back what ``begin(on:)`` opened at `depth`. Never throws: it runs on the way out
    /// of an error, which is the one to report (a connection that cannot roll back is broken,
    /// and its pool drops it).
    static func rollBack(on connection: some DriverConnection, depth: Int) {
        connection.transactionDepth = depth
        if depth == 0 {
            if connection.isInTransaction { try? connection.execute("ROLLBACK") }
        } else {
            let name = savepoint(depth)
            try? connection.execute("ROLLBACK TO SAVEPOINT \(name); RELEASE SAVEPOINT \(name)")
        }
    }

    /// Runs `body` in a transaction on `connection`, or in a savepoint if one is open.
    @usableFromInline
    package static func run<T>(on connection: some DriverConnection, _ body: () throws -> T) throws -> T {
        let depth = try begin(on: connection)
        do {
            let result = try body()
            try commit(on: connection, depth: depth)
            return result
        } catch {
            rollBack(on: connection, depth: depth)
            throw error
        }
    }

    private static func savepoint(_ depth: Int) -> String { "driftless_\(depth)" }
}
