/// Reads and writes one record type, whatever the live schema of its table: the `async` API,
/// for servers.
///
/// Get one from a database (`db.repository(User.self)`: each call takes a connection of the
/// pool) or from a ``Transaction`` (`tx.repository(User.self)`: every call runs in the
/// transaction). Each call suspends the task while it waits for a connection and runs its C
/// calls on that connection's own thread, never on Swift's cooperative pool. Cancelling the
/// task stops the wait or interrupts the running statement: the call throws
/// ``DriftlessError`` `.cancelled`, and the connection stays usable. Scripts and tools use
/// the same methods, synchronously, through ``BlockingRepository`` (`db.blocking`).
///
/// When a statement fails because the table lacks a declared column (or the table is
/// missing), the repository reflects the table, switches to a *projected* plan that reads
/// the column's declared default, and retries; the caller never sees the error. See
/// ``DriftConfiguration`` for catch-up and ``MissingColumnWritePolicy`` for writes.
public struct Repository<R: Record, Scope: RepositoryScope> {
    /// The database, or the transaction, the repository's statements run in.
    public let scope: Scope

    init(scope: Scope) {
        self.scope = scope
    }

    /// The database the repository reads and writes.
    public var database: Scope.Database { scope.database }

    typealias Executor = RecordExecutor<R, Scope.Database.Connection>

    /// Rows an `async` cursor decodes per trip to the connection's thread.
    static var cursorBatchSize: Int { 256 }

    nonisolated(nonsending) func reading<T: Sendable>(
        _ body: @escaping @Sendable (Executor) throws -> T
    ) async throws -> T {
        let context = database.driftContext
        let trace = context.queryTrace()
        if let transaction = scope.transactionContext {
            return try await transaction.run { try body(Executor(connection: $0, context: context, trace: trace)) }
        }
        return try await database.reading { try body(Executor(connection: $0, context: context, trace: trace)) }
    }

    nonisolated(nonsending) func writing<T: Sendable>(
        inTransaction: Bool = false, _ body: @escaping @Sendable (Executor) throws -> T
    ) async throws -> T {
        let context = database.driftContext
        let trace = context.queryTrace()
        let run: @Sendable (Scope.Database.Connection) throws -> T = { connection in
            let executor = Executor(connection: connection, context: context, trace: trace)
            return inTransaction ? try TransactionControl.run(on: connection) { try body(executor) } : try body(executor)
        }
        if let transaction = scope.transactionContext { return try await transaction.run(run) }
        return try await database.writing(run)
    }

    // MARK: Reading

    /// The record with this primary key, or nil.
    nonisolated(nonsending) public func find(_ key: some DatabaseValueConvertible) async throws -> R? {
        let key = key.databaseValue
        return try await reading { try $0.find(key: key) }
    }

    /// The record with this (composite) primary key, values in declaration order, or nil.
    nonisolated(nonsending) public func find(key: [DatabaseValue]) async throws -> R? {
        try await reading { try $0.find(key: key) }
    }

    /// The first record the query returns, or nil.
    nonisolated(nonsending) public func fetchOne(_ query: Query<R> = Query()) async throws -> R? {
        let query = query.limit(1, offset: query.offset)
        return try await reading { try $0.fetchAll(query).first }
    }

    /// Every record the query returns.
    nonisolated(nonsending) public func fetchAll(_ query: Query<R> = Query()) async throws -> [R] {
        try await reading { try $0.fetchAll(query) }
    }

    /// Calls `body` with each record the query returns, without loading them all: a cursor
    /// over a large table in bounded memory.
    ///
    /// Rows are read on the connection's thread a batch at a time (256 records); `body` runs
    /// in the caller's isolation between batches, holding the connection. Inside a
    /// transaction, `body` may use the transaction's other repositories.
    nonisolated(nonsending) public func forEach(
        _ query: Query<R> = Query(), _ body: nonisolated(nonsending) (R) async throws -> Void
    ) async throws {
        if let transaction = scope.transactionContext {
            guard transaction.isOpen else { throw DriftlessError.transactionEnded }
            return try await walk(query, on: transaction.lease, body)
        }
        let pool = database.readingPool
        do {
            let lease = try await pool.lease()
            defer { lease.release() }
            try await walk(query, on: lease, body)
        } catch let error as DatabaseError where error.kind == .connectionLost && !error.afterRowsWereDelivered {
            pool.replaceIdleConnections()
            let lease = try await pool.lease()
            defer { lease.release() }
            try await walk(query, on: lease, body)
        }
    }

    nonisolated(nonsending) private func walk(
        _ query: Query<R>, on lease: ConnectionLease<Scope.Database.Connection>,
        _ body: nonisolated(nonsending) (R) async throws -> Void
    ) async throws {
        let context = database.driftContext
        let trace = context.queryTrace()
        let size = Self.cursorBatchSize
        var batch = try await lease.run { connection in
            try Executor(connection: connection, context: context, trace: trace).openCursor(query, batch: size)
        }
        do {
            while true {
                for record in batch.records { try await body(record) }
                guard let position = batch.position else { return }
                batch = try await lease.run { connection in
                    context.noteConnectionUse()
                    return try Executor(connection: connection, context: context).continueCursor(position, batch: size)
                }
            }
        } catch {
            if let position = batch.position {
                _ = try? await lease.run(interruptible: false) { _ in position.statement.reset() }
            }
            throw error
        }
    }

    /// The number of records the query returns.
    nonisolated(nonsending) public func count(_ query: Query<R> = Query()) async throws -> Int {
        try await reading { try $0.count(query) }
    }

    /// Whether the query returns any record.
    nonisolated(nonsending) public func exists(_ query: Query<R> = Query()) async throws -> Bool {
        try await reading { try $0.exists(query) }
    }

    /// Runs your SQL and maps each row to a record by column name. Declared columns that the
    /// result lacks read as their defaults, so the same mapping survives drift.
    nonisolated(nonsending) public func fetchAll(sql: String, arguments: [DatabaseValue] = []) async throws -> [R] {
        try await reading { try $0.fetchAll(sql: sql, arguments: arguments) }
    }

    /// How the record's reads currently meet the live table.
    nonisolated(nonsending) public func planMode() async throws -> PlanMode {
        try await reading { try $0.planMode() }
    }

    // MARK: Writing

    /// Inserts a record. Values for columns the table lacks follow their write policy.
    nonisolated(nonsending) public func insert(_ record: R) async throws {
        try await writing { try $0.insert(CollectionOfOne(record)) }
    }

    /// Inserts a record and returns it as stored, with database-assigned keys and defaults.
    nonisolated(nonsending) public func insertAndFetch(_ record: R) async throws -> R {
        try await writing { try $0.insertAndFetch(record) }
    }

    /// Inserts records in one transaction (a savepoint inside a transaction): all or none. A
    /// server backend sends several rows per statement (PostgreSQL: multi-row INSERTs of up
    /// to 256 rows), so a batch costs a round trip per chunk rather than per row; values for
    /// missing columns follow their write policy for every record before its chunk is sent.
    nonisolated(nonsending) public func insert(contentsOf records: some Collection<R>) async throws {
        let records = Array(records)
        try await writing(inTransaction: true) { try $0.insert(records) }
    }

    /// Inserts a record, or updates the row with its primary key (`ON CONFLICT DO UPDATE`).
    nonisolated(nonsending) public func upsert(_ record: R) async throws {
        try await writing { try $0.insert(CollectionOfOne(record), upsert: true) }
    }

    /// Updates the row with the record's primary key; throws
    /// ``DriftlessError/recordNotFound(table:key:)`` if there is none.
    nonisolated(nonsending) public func update(_ record: R) async throws {
        try await writing { try $0.update(record) }
    }

    /// Deletes the record's row. Returns whether a row was deleted.
    @discardableResult
    nonisolated(nonsending) public func delete(_ record: R) async throws -> Bool {
        try await delete(key: R.schema.primaryKey(of: record))
    }

    /// Deletes the row with this primary key. Returns whether a row was deleted.
    @discardableResult
    nonisolated(nonsending) public func delete(key: [DatabaseValue]) async throws -> Bool {
        try await writing { try $0.delete(key: key) }
    }

    /// Deletes every row the query matches (its order and limit are ignored). Returns how
    /// many were deleted.
    @discardableResult
    nonisolated(nonsending) public func deleteAll(_ query: Query<R> = Query()) async throws -> Int {
        try await writing { try $0.deleteAll(query) }
    }
}

extension Repository: Sendable where Scope: Sendable {}

extension DatabaseDriver {
    /// A repository for a record type, whose calls each take a connection of the pool.
    public func repository<R: Record>(_ type: R.Type) -> Repository<R, Self> {
        Repository(scope: self)
    }
}
