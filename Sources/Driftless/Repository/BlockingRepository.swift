/// The blocking API of a ``Repository``, for scripts and tools: the same methods, run on the
/// calling thread, which waits while every connection is busy.
///
/// Get one from `db.blocking.repository(User.self)` or from a ``BlockingTransaction``. Its
/// methods are unavailable in `async` code, so a server can never block Swift's
/// cooperative pool with them by accident: there, use ``Repository``.
///
/// The hot methods are `@inlinable`, so that the path down to the backend's statement is
/// specialised for the record type and backend where they are called.
public struct BlockingRepository<R: Record, Scope: BlockingRepositoryScope> {
    /// The database, or the transaction, the repository's statements run in.
    public let scope: Scope

    @inlinable
    init(scope: Scope) {
        self.scope = scope
    }

    /// The database the repository reads and writes.
    public var database: Scope.Database { scope.database }

    @usableFromInline typealias Executor = RecordExecutor<R, Scope.Database.Connection>

    @available(*, noasync)
    @inlinable
    func reading<T>(_ body: (Executor) throws -> T) throws -> T {
        let context = database.driftContext
        let trace = context.queryTrace()
        if let transaction = scope.blockingTransactionContext {
            return try body(Executor(connection: try transaction.openConnection(), context: context, trace: trace))
        }
        return try database.read { try body(Executor(connection: $0, context: context, trace: trace)) }
    }

    @available(*, noasync)
    @inlinable
    func writing<T>(inTransaction: Bool = false, _ body: (Executor) throws -> T) throws -> T {
        let context = database.driftContext
        let trace = context.queryTrace()
        func run(_ connection: Scope.Database.Connection) throws -> T {
            let executor = Executor(connection: connection, context: context, trace: trace)
            return inTransaction ? try TransactionControl.run(on: connection) { try body(executor) } : try body(executor)
        }
        if let transaction = scope.blockingTransactionContext { return try run(try transaction.openConnection()) }
        return try database.write(run)
    }

    // MARK: Reading

    /// The record with this primary key, or nil.
    @available(*, noasync, message: "use Repository's async find")
    @inlinable
    public func find(_ key: some DatabaseValueConvertible) throws -> R? {
        let key = key.databaseValue
        return try reading { try $0.find(key: key) }
    }

    /// The record with this (composite) primary key, values in declaration order, or nil.
    @available(*, noasync, message: "use Repository's async find")
    public func find(key: [DatabaseValue]) throws -> R? {
        try reading { try $0.find(key: key) }
    }

    /// The first record the query returns, or nil.
    @available(*, noasync, message: "use Repository's async fetchOne")
    @inlinable
    public func fetchOne(_ query: Query<R> = Query()) throws -> R? {
        let query = query.limit(1, offset: query.offset)
        return try reading { try $0.fetchAll(query).first }
    }

    /// Every record the query returns.
    @available(*, noasync, message: "use Repository's async fetchAll")
    @inlinable
    public func fetchAll(_ query: Query<R> = Query()) throws -> [R] {
        try reading { try $0.fetchAll(query) }
    }

    /// Calls `body` with each record the query returns, one row at a time, without loading
    /// them all: a cursor over a large table with bounded memory.
    @available(*, noasync, message: "use Repository's async forEach")
    public func forEach(_ query: Query<R> = Query(), _ body: (R) throws -> Void) throws {
        try reading { try $0.forEach(query, body) }
    }

    /// The number of records the query returns.
    @available(*, noasync, message: "use Repository's async count")
    public func count(_ query: Query<R> = Query()) throws -> Int {
        try reading { try $0.count(query) }
    }

    /// Whether the query returns any record.
    @available(*, noasync, message: "use Repository's async exists")
    public func exists(_ query: Query<R> = Query()) throws -> Bool {
        try reading { try $0.exists(query) }
    }

    /// Runs your SQL and maps each row to a record by column name. Declared columns that the
    /// result lacks read as their defaults, so the same mapping survives drift.
    @available(*, noasync, message: "use Repository's async fetchAll(sql:arguments:)")
    public func fetchAll(sql: String, arguments: [DatabaseValue] = []) throws -> [R] {
        try reading { try $0.fetchAll(sql: sql, arguments: arguments) }
    }

    /// How the record's reads currently meet the live table.
    @available(*, noasync, message: "use Repository's async planMode")
    public func planMode() throws -> PlanMode {
        try reading { try $0.planMode() }
    }

    // MARK: Writing

    /// Inserts a record. Values for columns the table lacks follow their write policy.
    @available(*, noasync, message: "use Repository's async insert")
    @inlinable
    public func insert(_ record: R) throws {
        try writing { try $0.insert(CollectionOfOne(record)) }
    }

    /// Inserts a record and returns it as stored, with database-assigned keys and defaults.
    @available(*, noasync, message: "use Repository's async insertAndFetch")
    public func insertAndFetch(_ record: R) throws -> R {
        try writing { try $0.insertAndFetch(record) }
    }

    /// Inserts records in one transaction (a savepoint inside a transaction): all or none
    /// (see ``Repository/insert(contentsOf:)``).
    @available(*, noasync, message: "use Repository's async insert(contentsOf:)")
    @inlinable
    public func insert(contentsOf records: some Collection<R>) throws {
        try writing(inTransaction: true) { try $0.insert(Array(records)) }
    }

    /// Inserts a record, or updates the row with its primary key (`ON CONFLICT DO UPDATE`).
    @available(*, noasync, message: "use Repository's async upsert")
    public func upsert(_ record: R) throws {
        try writing { try $0.insert(CollectionOfOne(record), upsert: true) }
    }

    /// Updates the row with the record's primary key; throws
    /// ``DriftlessError/recordNotFound(table:key:)`` if there is none.
    @available(*, noasync, message: "use Repository's async update")
    public func update(_ record: R) throws {
        try writing { try $0.update(record) }
    }

    /// Deletes the record's row. Returns whether a row was deleted.
    @discardableResult
    @available(*, noasync, message: "use Repository's async delete")
    public func delete(_ record: R) throws -> Bool {
        try delete(key: R.schema.primaryKey(of: record))
    }

    /// Deletes the row with this primary key. Returns whether a row was deleted.
    @discardableResult
    @available(*, noasync, message: "use Repository's async delete(key:)")
    public func delete(key: [DatabaseValue]) throws -> Bool {
        try writing { try $0.delete(key: key) }
    }

    /// Deletes every row the query matches (its order and limit are ignored). Returns how
    /// many were deleted.
    @discardableResult
    @available(*, noasync, message: "use Repository's async deleteAll")
    public func deleteAll(_ query: Query<R> = Query()) throws -> Int {
        try writing { try $0.deleteAll(query) }
    }
}

extension BlockingRepository: Sendable where Scope: Sendable {}
