/// Reads and writes one record type, whatever the live schema of its table.
///
/// Get one from a database (`db.repository(User.self)`) or from a transaction. Every
/// method has a synchronous form, for scripts and tools, and an `async` form, for servers,
/// which runs the same work on the backend's threads rather than Swift's cooperative pool.
///
/// When a statement fails because the table lacks a declared column (or the table is
/// missing), the repository reflects the table, switches to a *projected* plan that reads
/// the column's declared default, and retries; the caller never sees the error. See
/// ``DriftConfiguration`` for catch-up and ``MissingColumnWritePolicy`` for writes.
public struct Repository<R: Record, Database: DatabaseDriver>: Sendable {
    /// The database the repository reads and writes.
    public let database: Database
    /// The connection of the transaction this repository belongs to, if any.
    let transactionConnection: Database.Connection?

    init(database: Database, transactionConnection: Database.Connection? = nil) {
        self.database = database
        self.transactionConnection = transactionConnection
    }

    private func reading<T>(_ body: (RecordExecutor<R, Database.Connection>) throws -> T) throws -> T {
        let context = database.driftContext
        if let transactionConnection {
            return try body(RecordExecutor(connection: transactionConnection, context: context))
        }
        return try database.read { try body(RecordExecutor(connection: $0, context: context)) }
    }

    private func writing<T>(_ body: (RecordExecutor<R, Database.Connection>) throws -> T) throws -> T {
        let context = database.driftContext
        if let transactionConnection {
            return try body(RecordExecutor(connection: transactionConnection, context: context))
        }
        return try database.write { try body(RecordExecutor(connection: $0, context: context)) }
    }

    // MARK: Reading

    /// The record with this primary key, or nil.
    public func find(_ key: some DatabaseValueConvertible) throws -> R? {
        let key = key.databaseValue
        return try reading { try $0.find(key: key) }
    }

    /// The record with this (composite) primary key, values in declaration order, or nil.
    public func find(key: [DatabaseValue]) throws -> R? {
        try reading { try $0.find(key: key) }
    }

    /// The first record the query returns, or nil.
    public func fetchOne(_ query: Query<R> = Query()) throws -> R? {
        let query = query.limit(1, offset: query.offset)
        return try reading { try $0.fetchAll(query).first }
    }

    /// Every record the query returns.
    public func fetchAll(_ query: Query<R> = Query()) throws -> [R] {
        try reading { try $0.fetchAll(query) }
    }

    /// Calls `body` with each record the query returns, one row at a time, without loading
    /// them all: a cursor over a large table with bounded memory.
    public func forEach(_ query: Query<R> = Query(), _ body: (R) throws -> Void) throws {
        try reading { try $0.forEach(query, body) }
    }

    /// The number of records the query returns.
    public func count(_ query: Query<R> = Query()) throws -> Int {
        try reading { try $0.count(query) }
    }

    /// Whether the query returns any record.
    public func exists(_ query: Query<R> = Query()) throws -> Bool {
        try reading { try $0.exists(query) }
    }

    /// Runs your SQL and maps each row to a record by column name. Declared columns that the
    /// result lacks read as their defaults, so the same mapping survives drift.
    public func fetchAll(sql: String, arguments: [DatabaseValue] = []) throws -> [R] {
        try reading { try $0.fetchAll(sql: sql, arguments: arguments) }
    }

    /// How the record's reads currently meet the live table.
    public func planMode() throws -> PlanMode {
        try reading { try $0.planMode() }
    }

    // MARK: Writing

    /// Inserts a record. Values for columns the table lacks follow their write policy.
    public func insert(_ record: R) throws {
        try writing { try $0.insert(CollectionOfOne(record)) }
    }

    /// Inserts a record and returns it as stored, with database-assigned keys and defaults.
    public func insertAndFetch(_ record: R) throws -> R {
        try writing { try $0.insertAndFetch(record) }
    }

    /// Inserts records in one transaction: all or none. A server backend sends several rows
    /// per statement (PostgreSQL: multi-row INSERTs of up to 256 rows), so a batch costs a
    /// round trip per chunk rather than per row; values for missing columns follow their
    /// write policy for every record before its chunk is sent.
    public func insert(contentsOf records: some Collection<R>) throws {
        try writingInTransaction { try $0.insert(Array(records)) }
    }

    /// Inserts a record, or updates the row with its primary key (`ON CONFLICT DO UPDATE`).
    public func upsert(_ record: R) throws {
        try writing { try $0.insert(CollectionOfOne(record), upsert: true) }
    }

    /// Updates the row with the record's primary key; throws
    /// ``DriftlessError/recordNotFound(table:key:)`` if there is none.
    public func update(_ record: R) throws {
        try writing { try $0.update(record) }
    }

    /// Deletes the record's row. Returns whether a row was deleted.
    @discardableResult
    public func delete(_ record: R) throws -> Bool {
        try delete(key: R.schema.primaryKey(of: record))
    }

    /// Deletes the row with this primary key. Returns whether a row was deleted.
    @discardableResult
    public func delete(key: [DatabaseValue]) throws -> Bool {
        try writing { try $0.delete(key: key) }
    }

    /// Deletes every row the query matches (its order and limit are ignored). Returns how
    /// many were deleted.
    @discardableResult
    public func deleteAll(_ query: Query<R> = Query()) throws -> Int {
        try writing { try $0.deleteAll(query) }
    }

    private func writingInTransaction<T>(_ body: (RecordExecutor<R, Database.Connection>) throws -> T) throws -> T {
        try writing { executor in
            try database.inTransaction(on: executor.connection) { try body(executor) }
        }
    }
}
