import CSQLite
import Driftless

/// A SQLite database file: one writing connection and a pool of reading ones, in WAL mode.
///
/// ```swift
/// let db = try SQLiteDatabase(path: "app.sqlite")
/// let users = db.repository(User.self)
/// try await users.insert(User(id: 1, name: "Ada", plan: "pro"))
/// let ada = try await users.find(1)
/// ```
///
/// `async` calls run SQLite's blocking C calls on a thread of each connection's own, never
/// on Swift's cooperative pool; the blocking API (`db.blocking`, for scripts and tools) runs
/// them on the caller's thread. Cancelling a task interrupts its statement
/// (`sqlite3_interrupt`). `":memory:"` opens a single shared in-memory connection.
public final class SQLiteDatabase: DatabaseDriver {
    public typealias Connection = SQLiteConnection

    /// The path (or `file:` URI) the database was opened with.
    public let path: String
    public let configuration: SQLiteConfiguration
    public let driftContext: DriftContext
    public let writingPool: ConnectionPool<SQLiteConnection>
    public let readingPool: ConnectionPool<SQLiteConnection>

    /// Opens (or creates) a database file.
    ///
    /// Throws a ``DatabaseError`` of kind `.cannotOpen` when the file cannot be opened and
    /// `.corrupt` when it is not a SQLite database.
    public init(path: String, configuration: SQLiteConfiguration = SQLiteConfiguration()) throws {
        self.path = path
        self.configuration = configuration
        var drift = configuration.drift
        drift.tracing = drift.tracing?.describing(system: "sqlite", namespace: path.split(separator: "/").last.map(String.init))
        driftContext = DriftContext(dialect: .sqlite, configuration: drift)
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
        writingPool = ConnectionPool(name: "driftless-sw", maximumCount: 1,
                                     checkoutTimeout: configuration.checkoutTimeout, open: open)
        writingPool.add(first)
        // An in-memory database exists only in its one connection, which must serve reads too.
        readingPool = SQLiteDatabase.isInMemory(path)
            ? writingPool
            : ConnectionPool(name: "driftless-sr", maximumCount: configuration.maximumReaderCount,
                             checkoutTimeout: configuration.checkoutTimeout, open: open)
    }

    private static func isInMemory(_ path: String) -> Bool {
        path == ":memory:" || path.isEmpty || path.contains("mode=memory")
    }

    /// Closes idle connections. Calls after closing reopen connections as needed.
    public func close() {
        readingPool.drain()
        writingPool.drain()
    }
}
