/// The blocking API of a database, for scripts and tools: `db.blocking`.
///
/// ```swift
/// let db = try SQLiteDatabase(path: "app.sqlite").blocking
/// let users = db.repository(User.self)
/// try users.insert(ada)
/// try db.transaction { tx in try tx.repository(User.self).update(ada) }
/// ```
///
/// The same pool serves both APIs: a blocking call waits for a connection in the same
/// first-come, first-served queue as the `async` calls, blocking its thread, and runs its C
/// calls on that thread. Every method is unavailable in `async` code (use the database's own
/// `async` methods there).
public struct BlockingDatabase<Database: DatabaseDriver>: Sendable {
    /// The database, with its `async` API.
    public let database: Database

    /// A repository for a record type.
    public func repository<R: Record>(_ type: R.Type) -> BlockingRepository<R, Database> {
        BlockingRepository(scope: database)
    }

    /// Runs `body` in a transaction on the writing connection: committed if it returns,
    /// rolled back if it throws.
    @available(*, noasync, message: "use the database's async transaction")
    public func transaction<T>(_ body: (BlockingTransaction<Database>) throws -> T) throws -> T {
        try database.write { try BlockingTransaction.run(on: $0, database: database, body) }
    }

    /// Runs SQL without parameters on the writing connection (DDL, pragmas).
    @available(*, noasync, message: "use the database's async execute")
    public func execute(_ sql: String) throws {
        try database.write { try $0.execute(sql) }
    }

    /// Runs SQL with bound values on the writing connection and returns the rows it changed.
    @discardableResult
    @available(*, noasync, message: "use the database's async execute")
    public func execute(_ sql: String, arguments: [DatabaseValue]) throws -> Int {
        try database.write { try $0.execute(sql, arguments: arguments) }
    }

    /// See ``DatabaseDriver/driftReport(for:)``.
    @available(*, noasync, message: "use the database's async driftReport")
    public func driftReport(for records: [any Record.Type]) throws -> DriftReport {
        try database.read { try database.driftReport(for: records, on: $0) }
    }

    /// See ``DatabaseDriver/createMissingTables(for:)``.
    @discardableResult
    @available(*, noasync, message: "use the database's async createMissingTables")
    public func createMissingTables(for records: [any Record.Type]) throws -> [TableName] {
        let created = try database.write { try database.createMissingTables(for: records, on: $0) }
        if !created.isEmpty { database.invalidateSchema() }
        return created
    }
}

extension DatabaseDriver {
    /// The blocking API of this database, for scripts and tools.
    public var blocking: BlockingDatabase<Self> { BlockingDatabase(database: self) }
}
