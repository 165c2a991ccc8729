/// An error the database engine reported, classified so that Driftless (and you) can act on
/// it without reading its message.
///
/// ```swift
/// do { try users.insert(user) }
/// catch let error as DatabaseError where error.kind == .uniqueViolation { ... }
/// ```
public struct DatabaseError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as far as Driftless needs to know.
    ///
    /// A struct of static values rather than an enum, so that a later release can add kinds
    /// without breaking a `switch` of yours: compare with `==`.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case undefinedColumn, undefinedTable, staleStatement, notNullViolation, uniqueViolation
            case constraintViolation, busy, readOnly, corrupt, cannotOpen, transactionAborted
            case retryable, connectionLost, interrupted, typeMismatch, syntax, other
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A column the statement names does not exist (SQLite `no such column`, PostgreSQL
        /// 42703); ``DatabaseError/column`` names it when the engine did.
        public static let undefinedColumn = Kind(.undefinedColumn)
        /// A table the statement names does not exist (SQLite `no such table`, PostgreSQL
        /// 42P01); ``DatabaseError/table`` names it when the engine did.
        public static let undefinedTable = Kind(.undefinedTable)
        /// A cached statement no longer matches the schema (PostgreSQL 0A000 from
        /// `RevalidateCachedQuery`).
        public static let staleStatement = Kind(.staleStatement)
        /// A NOT NULL constraint failed on ``DatabaseError/column``.
        public static let notNullViolation = Kind(.notNullViolation)
        /// A UNIQUE or PRIMARY KEY constraint failed.
        public static let uniqueViolation = Kind(.uniqueViolation)
        /// A foreign key, CHECK or other constraint failed.
        public static let constraintViolation = Kind(.constraintViolation)
        /// The database is locked by another connection or process, past the busy timeout.
        public static let busy = Kind(.busy)
        /// The database, or the connection, is read-only.
        public static let readOnly = Kind(.readOnly)
        /// The file is not a database, or its content is damaged.
        public static let corrupt = Kind(.corrupt)
        /// The database could not be opened (missing folder, permissions, bad URL).
        public static let cannotOpen = Kind(.cannotOpen)
        /// The transaction was aborted and must be rolled back (PostgreSQL 25P02).
        public static let transactionAborted = Kind(.transactionAborted)
        /// A serialization failure or deadlock; the transaction may be retried.
        public static let retryable = Kind(.retryable)
        /// The connection to the server was lost; whether a write happened is unknown.
        public static let connectionLost = Kind(.connectionLost)
        /// The statement was interrupted before it finished (SQLite `SQLITE_INTERRUPT`,
        /// PostgreSQL 57014), for example because its task was cancelled.
        public static let interrupted = Kind(.interrupted)
        /// A value had the wrong type for its column.
        public static let typeMismatch = Kind(.typeMismatch)
        /// The SQL is malformed.
        public static let syntax = Kind(.syntax)
        /// Anything else.
        public static let other = Kind(.other)

        public var description: String { base.rawValue }
    }

    public var kind: Kind
    /// The engine's code: SQLite's extended result code, or PostgreSQL's SQLSTATE as text in
    /// ``sqlState``.
    public var code: Int32
    /// PostgreSQL's SQLSTATE, nil for SQLite.
    public var sqlState: String?
    /// The engine's message.
    public var message: String
    /// The SQL that failed, if any.
    public var sql: String?
    /// The table the engine named (an undefined table), if it named one.
    public var table: String?
    /// The column the engine named (an undefined column, a NOT NULL violation), if it named one.
    public var column: String?
    /// Whether the failure came after part of the result had reached the caller (a cursor's
    /// body ran for some rows). Such a read is never retried, not even after a lost
    /// connection: a retry would deliver those rows again.
    public var afterRowsWereDelivered = false

    public init(
        kind: Kind, code: Int32 = 0, sqlState: String? = nil, message: String, sql: String? = nil,
        table: String? = nil, column: String? = nil
    ) {
        self.kind = kind
        self.code = code
        self.sqlState = sqlState
        self.message = message
        self.sql = sql
        self.table = table
        self.column = column
    }

    /// Whether the error says the schema differs from the statement: the drift Driftless
    /// recovers from by reflecting the table and projecting.
    public var isSchemaDrift: Bool {
        kind == .undefinedColumn || kind == .undefinedTable || kind == .staleStatement
    }

    public var description: String { description(revealingValues: false) }

    /// The message, with the engine's own text for data exceptions (PostgreSQL SQLSTATE
    /// class 22, whose messages quote the value: `invalid input syntax for type uuid: "..."`)
    /// shown only when `revealingValues` is true; ``message`` always holds it.
    public func description(revealingValues: Bool) -> String {
        var text = "database error"
        if let sqlState { text += " \(sqlState)" } else if code != 0 { text += " \(code)" }
        if !revealingValues, sqlState?.hasPrefix("22") == true {
            text += ": the server rejected a value (its message, which quotes the value, is left out; see `message`)"
        } else {
            text += ": \(message)"
        }
        if let sql { text += " (in: \(sql))" }
        return text
    }
}
