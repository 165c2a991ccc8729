/// An error the database engine reported, classified so that Driftless (and you) can act on
/// it without reading its message.
public struct DatabaseError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as far as Driftless needs to know.
    public enum Kind: Sendable, Hashable {
        /// A column the statement names does not exist (SQLite `no such column`, PostgreSQL 42703).
        case undefinedColumn(String?)
        /// A table the statement names does not exist (SQLite `no such table`, PostgreSQL 42P01).
        case undefinedTable(String?)
        /// A cached statement no longer matches the schema (PostgreSQL 0A000 from
        /// `RevalidateCachedQuery`).
        case staleStatement
        /// A NOT NULL constraint failed on this column.
        case notNullViolation(column: String?)
        /// A UNIQUE or PRIMARY KEY constraint failed.
        case uniqueViolation
        /// A foreign key, CHECK or other constraint failed.
        case constraintViolation
        /// The database is locked by another connection or process, past the busy timeout.
        case busy
        /// The database, or the connection, is read-only.
        case readOnly
        /// The file is not a database, or its content is damaged.
        case corrupt
        /// The database could not be opened (missing folder, permissions, bad URL).
        case cannotOpen
        /// The transaction was aborted and must be rolled back (PostgreSQL 25P02).
        case transactionAborted
        /// A serialization failure or deadlock; the transaction may be retried.
        case retryable
        /// The connection to the server was lost; whether a write happened is unknown.
        case connectionLost
        /// A value had the wrong type for its column.
        case typeMismatch
        /// The SQL is malformed.
        case syntax
        /// Anything else.
        case other
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
    /// Whether the failure came after part of the result had reached the caller (a cursor's
    /// body ran for some rows). Such a read is never retried, not even after a lost
    /// connection: a retry would deliver those rows again.
    public var afterRowsWereDelivered = false

    public init(kind: Kind, code: Int32 = 0, sqlState: String? = nil, message: String, sql: String? = nil) {
        self.kind = kind
        self.code = code
        self.sqlState = sqlState
        self.message = message
        self.sql = sql
    }

    /// Whether the error says the schema differs from the statement: the drift Driftless
    /// recovers from by reflecting the table and projecting.
    public var isSchemaDrift: Bool {
        switch kind {
        case .undefinedColumn, .undefinedTable, .staleStatement: true
        default: false
        }
    }

    public var description: String {
        var text = "database error"
        if let sqlState { text += " \(sqlState)" } else if code != 0 { text += " \(code)" }
        text += ": \(message)"
        if let sql { text += " (in: \(sql))" }
        return text
    }
}
