/// One backend connection, as the core drives it.
///
/// A connection is used by one thread at a time: its pool hands it to one holder and takes
/// it back. Driftless never shares a connection across concurrent callers; only
/// ``interrupt()`` is called from another thread.
public protocol DriverConnection: AnyObject, Sendable {
    associatedtype Statement: DriverStatement
    associatedtype Dialect: SQLDialect

    /// What the backend's SQL looks like.
    var dialect: Dialect { get }
    /// The connection's prepared statements, by plan and by SQL text.
    var statementCache: StatementCache<Statement> { get }

    /// Compiles a statement. Failures are classified ``DatabaseError``s.
    func prepare(_ sql: String) throws -> Statement
    /// Runs SQL without parameters or results (DDL, transaction control).
    func execute(_ sql: String) throws
    /// The live columns of a table, or nil if it does not exist.
    func reflectTable(_ table: TableName) throws -> TableSchema?
    /// A value that changes whenever the columns of these tables may have changed (SQLite's
    /// `schema_version`). Read only while a plan is drifted, to notice catch-up.
    func schemaFingerprint(of tables: [TableName]) throws -> Int64
    /// The most rows one INSERT of `insert(contentsOf:)` carries (a multi-row `VALUES` list,
    /// in chunks of a power of two rows). 1, the default, inserts row by row: right where a
    /// statement costs no round trip (SQLite); a server backend sets more, since each
    /// statement costs one.
    var insertBatchRows: Int { get }
    /// The most parameters one statement may bind (it bounds the rows of a batch INSERT).
    var maximumParameterCount: Int { get }
    /// From how many rows on `insert(contentsOf:)` sends them through ``copyRows(into:columns:rows:values:)``;
    /// nil, the default, never.
    var copyThreshold: Int? { get }
    /// Inserts rows through the backend's bulk path (PostgreSQL's `COPY ... FROM STDIN`), for
    /// inserts that need nothing back; returns false when it cannot (the core then sends
    /// INSERT statements). The default has no bulk path.
    ///
    /// `values(row, &buffer)` fills `buffer` with row `row`'s values (`0..<rows`), in
    /// `columns` order. It is called in row order, and its errors are rethrown. A value the
    /// backend cannot store is a ``DriftlessError/Code/unrepresentableValue`` error naming
    /// its column. Either every row is inserted or, on any error, none.
    func copyRows(into table: TableName, columns: [String], rows: Int,
                  values: (Int, inout [DatabaseValue]) throws -> Void) throws -> Bool
    /// Runs one statement with bound values (`?` on SQLite, `$1`... on PostgreSQL), steps it
    /// to the end and returns the rows it changed. The default prepares it; a backend whose
    /// prepared statements cost a round trip may run it unprepared.
    func execute(_ sql: String, arguments: [DatabaseValue]) throws -> Int

    // MARK: Transactions

    /// The transactions and savepoints open on the connection; the core's transaction code
    /// keeps it (backends only store it).
    var transactionDepth: Int { get set }
    /// The statement that begins a transaction: `BEGIN` by default; SQLite's is
    /// `BEGIN IMMEDIATE`, taking the write lock up front so that the transaction cannot fail
    /// later for lock upgrade.
    var beginTransactionSQL: String { get }
    /// Whether a transaction is open: a failed statement may have ended it already (SQLite
    /// rolls back by itself after `SQLITE_FULL`, for example).
    var isInTransaction: Bool { get }
    /// Throws when the open transaction cannot commit what its body did, just before `COMMIT`
    /// (PostgreSQL: an error the body caught itself aborted it, and `COMMIT` would roll back
    /// silently). The transaction is then rolled back and the error thrown.
    func checkTransactionCanCommit() throws

    // MARK: Cancellation

    /// Asks the statement running on this connection to stop, because the task that runs it
    /// was cancelled: it then fails with a `.interrupted` ``DatabaseError``, and the connection
    /// stays usable. Called from another thread while a statement may run; it must return at
    /// once (SQLite: `sqlite3_interrupt`; PostgreSQL sends its cancel request from a thread of
    /// its own, see ``waitForInterrupts()``).
    func interrupt()
    /// Waits until every ``interrupt()`` request made so far has reached the server, so that
    /// none can stop a later statement instead. Called on the connection's thread after an
    /// interrupted job, before the connection runs anything else.
    func waitForInterrupts()
}

extension DriverConnection {
    public var insertBatchRows: Int { 1 }
    public var maximumParameterCount: Int { 999 }
    public var copyThreshold: Int? { nil }
    public func copyRows(into table: TableName, columns: [String], rows: Int,
                         values: (Int, inout [DatabaseValue]) throws -> Void) throws -> Bool { false }
    public var beginTransactionSQL: String { "BEGIN" }
    public func checkTransactionCanCommit() throws {}
    public func waitForInterrupts() {}

    public func execute(_ sql: String, arguments: [DatabaseValue]) throws -> Int {
        let statement = try prepare(sql)
        defer { statement.reset() }
        try RawSQL.bind(arguments, to: statement)
        while try statement.step() {}
        return statement.changedRowCount
    }
}
