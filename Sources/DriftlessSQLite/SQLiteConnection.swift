import CSQLite
import Driftless

/// One SQLite connection, configured the way Driftless needs it.
///
/// Opening sets extended result codes, a busy timeout, foreign keys on and double-quoted
/// string literals off (so `SELECT "missing"` is an error naming the column, not the
/// string), and reads the schema once so that a file that is not a database fails here.
///
/// A connection is used by one thread at a time, which its ``SQLiteDatabase`` guarantees;
/// hence the unchecked `Sendable`.
public final class SQLiteConnection: DriverConnection, @unchecked Sendable {
    let handle: OpaquePointer
    public let statementCache = StatementCache<SQLiteStatement>()
    public var dialect: SQLiteDialect { .sqlite }
    public var transactionDepth = 0
    /// `BEGIN IMMEDIATE` takes the write lock up front, so that a transaction cannot fail
    /// later for lock upgrade; a read-only connection cannot take it.
    public let beginTransactionSQL: String
    private var schemaVersionStatement: SQLiteStatement?
    private var reflectionStatements: [Bool: SQLiteStatement] = [:]

    init(path: String, readOnly: Bool, busyTimeout: Duration) throws {
        // A C string ends at NUL: "a.db\0x" would open "a.db".
        if path.utf8.contains(0) {
            throw DatabaseError(kind: .cannotOpen, message: "cannot open \(path.debugDescription): the path contains a NUL character")
        }
        var connection: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
            | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI
        let code = sqlite3_open_v2(path, &connection, flags, nil)
        guard code == SQLITE_OK, let connection else {
            let error = SQLiteErrorClassifier.error(code: code, connection: connection, sql: nil)
            sqlite3_close_v2(connection)
            throw DatabaseError(kind: .cannotOpen, code: error.code,
                                message: "cannot open \(path): \(error.message)")
        }
        handle = connection
        beginTransactionSQL = readOnly ? "BEGIN DEFERRED" : "BEGIN IMMEDIATE"
        sqlite3_extended_result_codes(connection, 1)
        let (seconds, attoseconds) = busyTimeout.components
        sqlite3_busy_timeout(connection, Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000))
        _ = driftless_sqlite3_disable_double_quoted_strings(connection)
        _ = driftless_sqlite3_enable_foreign_keys(connection)
        do {
            _ = try schemaVersion()
            // LIKE matches case-sensitively, as on PostgreSQL (Driftless's one rule for it).
            try execute("PRAGMA case_sensitive_like = ON")
        } catch let error as DatabaseError {
            throw DatabaseError(kind: error.kind, code: error.code, message: "cannot use \(path): \(error.message)")
        }
    }

    deinit {
        statementCache.removeAll()
        schemaVersionStatement = nil
        reflectionStatements.removeAll()
        sqlite3_close_v2(handle)
    }

    public func prepare(_ sql: String) throws -> SQLiteStatement {
        try SQLiteStatement(sql: sql, connection: handle)
    }

    /// Runs SQL without parameters, possibly several statements (see ``SQLiteScript``).
    public func execute(_ sql: String) throws {
        try SQLiteScript.run(sql, on: handle)
    }

    /// Runs `body` again while it fails with `.busy`, for up to `timeout` (for the statements
    /// SQLite does not give to the busy handler), then lets the last error through.
    func retryingWhileBusy<T>(for timeout: Duration, _ body: () throws -> T) throws -> T {
        let deadline = ContinuousClock.now + timeout
        var pauseMilliseconds: Int32 = 1
        while true {
            do {
                return try body()
            } catch let error as DatabaseError where error.kind == .busy && ContinuousClock.now < deadline {
                sqlite3_sleep(pauseMilliseconds)
                pauseMilliseconds = min(pauseMilliseconds * 2, 50)
            }
        }
    }

    /// The first column of the first row of `sql`.
    func scalar(_ sql: String) throws -> DatabaseValue {
        let statement = try prepare(sql)
        return try statement.step() ? statement.value(at: 0) : .null
    }

    /// `PRAGMA schema_version`: bumped by SQLite on every schema change, by any connection.
    func schemaVersion() throws -> Int64 {
        let statement = try schemaVersionStatement ?? prepare("PRAGMA schema_version")
        schemaVersionStatement = statement
        defer { statement.reset() }
        guard try statement.step(), case .integer(let version) = statement.value(at: 0) else { return 0 }
        return version
    }

    public func schemaFingerprint(of tables: [TableName]) throws -> Int64 {
        try schemaVersion()
    }

    public func reflectTable(_ table: TableName) throws -> TableSchema? {
        let qualified = table.schema != nil
        let statement = try reflectionStatements[qualified] ?? prepare(
            "SELECT name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo(?"
                + (qualified ? ", ?)" : ")"))
        reflectionStatements[qualified] = statement
        defer { statement.reset() }
        try statement.bind(.text(table.name), at: 1)
        if let schema = table.schema { try statement.bind(.text(schema), at: 2) }
        var columns: [TableSchema.Column] = []
        while try statement.step() {
            guard case .text(let name) = statement.value(at: 0) else { continue }
            let hidden = statement.value(at: 5)
            if hidden == .integer(1) { continue }  // hidden columns of virtual tables
            let declaredType: String = if case .text(let type) = statement.value(at: 1) { type } else { "" }
            let defaultSQL: String? = if case .text(let text) = statement.value(at: 3) { text } else { nil }
            columns.append(TableSchema.Column(
                name: name, declaredType: declaredType,
                isNotNull: statement.value(at: 2) == .integer(1),
                defaultSQL: defaultSQL,
                isPrimaryKey: statement.value(at: 4) != .integer(0),
                isGenerated: hidden == .integer(2) || hidden == .integer(3)))
        }
        guard !columns.isEmpty else { return nil }
        // A lone INTEGER PRIMARY KEY is the rowid: SQLite fills it when an insert omits it.
        let keys = columns.indices.filter { columns[$0].isPrimaryKey }
        if keys.count == 1, columns[keys[0]].declaredType.uppercased() == "INTEGER" {
            columns[keys[0]].isGenerated = true
        }
        return TableSchema(table: table, columns: columns)
    }

    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// `sqlite3_interrupt`: safe from any thread while the connection is open, which its pool
    /// guarantees while a job runs on it. The running statement fails with
    /// `SQLITE_INTERRUPT`; SQLite clears the request when no statement is running, so a late
    /// one cannot reach the next job.
    public func interrupt() {
        sqlite3_interrupt(handle)
    }
}
