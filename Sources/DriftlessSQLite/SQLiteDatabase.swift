import CSQLite
import Dispatch
import Driftless

/// A SQLite database file: one writing connection and a pool of reading ones, in WAL mode.
///
/// ```swift
/// let db = try SQLiteDatabase(path: "app.sqlite")
/// let users = db.repository(User.self)
/// try users.insert(User(id: 1, name: "Ada", plan: "pro"))
/// let ada = try await users.find(1)
/// ```
///
/// Synchronous calls run on the caller's thread; `async` calls run on a dispatch queue of
/// the database's own, so SQLite's blocking C calls never occupy Swift's cooperative pool.
/// `":memory:"` opens a single shared in-memory connection.
public final class SQLiteDatabase: DatabaseDriver {
    public typealias Connection = SQLiteConnection

    /// The path (or `file:` URI) the database was opened with.
    public let path: String
    public let configuration: SQLiteConfiguration
    public let driftContext: DriftContext
    private let writer: ConnectionPool<SQLiteConnection>
    private let readers: ConnectionPool<SQLiteConnection>
    public let blockingQueue = DispatchQueue(label: "driftless.sqlite", attributes: .concurrent)

    /// Opens (or creates) a database file.
    ///
    /// Throws a ``DatabaseError`` of kind `.cannotOpen` when the file cannot be opened and
    /// `.corrupt` when it is not a SQLite database.
    public init(path: String, configuration: SQLiteConfiguration = SQLiteConfiguration()) throws {
        self.path = path
        self.configuration = configuration
        driftContext = DriftContext(dialect: .sqlite, configuration: configuration.drift)
        let readOnly = configuration.readOnly
        let busyTimeout = configuration.busyTimeout
        let open: @Sendable () throws -> SQLiteConnection = {
            try SQLiteConnection(path: path, readOnly: readOnly, busyTimeout: busyTimeout)
        }
        let first = try open()
        if !readOnly && !SQLiteDatabase.isInMemory(path) {
            // Switching to WAL needs an exclusive lock, and SQLite answers SQLITE_BUSY at once,
            // without the busy handler, while another process holds one (several opening a
            // new file together): retry within the busy timeout, as any other lock waits.
            try first.retryingWhileBusy(for: busyTimeout) { _ = try first.scalar("PRAGMA journal_mode = WAL") }
            try first.execute("PRAGMA synchronous = NORMAL")
        }
        writer = ConnectionPool(maximumCount: 1, checkoutTimeout: configuration.checkoutTimeout, open: open)
        writer.add(first)
        // An in-memory database exists only in its one connection, which must serve reads too.
        readers = SQLiteDatabase.isInMemory(path)
            ? writer
            : ConnectionPool(maximumCount: configuration.maximumReaderCount,
                             checkoutTimeout: configuration.checkoutTimeout, open: open)
    }

    private static func isInMemory(_ path: String) -> Bool {
        path == ":memory:" || path.isEmpty || path.contains("mode=memory")
    }

    public func read<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try readers.withConnection(body)
    }

    public func write<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try writer.withConnection(body)
    }

    /// Runs `body` in `BEGIN IMMEDIATE ... COMMIT` (taking the write lock up front, so the
    /// transaction cannot fail later for lock upgrade), or in a savepoint when nested.
    public func inTransaction<T>(on connection: SQLiteConnection, _ body: () throws -> T) throws -> T {
        let depth = connection.transactionDepth
        let savepoint = "driftless_\(depth)"
        try connection.execute(depth == 0
            ? (configuration.readOnly ? "BEGIN DEFERRED" : "BEGIN IMMEDIATE")
            : "SAVEPOINT \(savepoint)")
        connection.transactionDepth += 1
        defer { connection.transactionDepth -= 1 }
        do {
            let result = try body()
            try connection.execute(depth == 0 ? "COMMIT" : "RELEASE \(savepoint)")
            return result
        } catch {
            // SQLite may already have rolled back on its own (for example after SQLITE_FULL).
            if depth == 0 {
                if !connection.isAutocommit { try? connection.execute("ROLLBACK") }
            } else {
                try? connection.execute("ROLLBACK TO \(savepoint)")
                try? connection.execute("RELEASE \(savepoint)")
            }
            throw error
        }
    }

    /// Runs SQL without parameters on the writing connection (DDL, pragmas).
    public func execute(_ sql: String) throws {
        try write { try $0.execute(sql) }
    }

    /// Runs one statement with bound values (one per placeholder) on the writing connection
    /// and returns the rows changed.
    @discardableResult
    public func execute(_ sql: String, arguments: [DatabaseValue]) throws -> Int {
        try write { connection in
            let statement = try connection.prepare(sql)
            try RawSQL.bind(arguments, to: statement)
            while try statement.step() {}
            return statement.changedRowCount
        }
    }

    /// Closes idle connections. Calls after closing reopen connections as needed.
    public func close() {
        readers.drain()
        writer.drain()
    }
}
