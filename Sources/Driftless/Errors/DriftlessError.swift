/// An error of Driftless's own: a record, a value or a table that cannot be used as asked.
///
/// Each error names the table and column involved, and the row's primary key where there is
/// a row, so the message alone says what to fix. Stored values are not part of the message
/// (they may be personal data); ``found`` holds the value for code that wants it, and
/// ``description(revealingValues:)`` shows it when you debug.
///
/// A struct with a ``code`` rather than an enum, so that a later release can add errors
/// without breaking a `switch` of yours:
///
/// ```swift
/// catch let error as DriftlessError where error.code == .typeMismatch {
///     print(error.table, error.column, error.key)
/// }
/// ```
public struct DriftlessError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Which error it is.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case invalidRecord, invalidQuery, missingTable, unknownRequiredColumn, missingKeyColumn
            case valueRejected, typeMismatch, unexpectedNull, noPrimaryKey, recordNotFound, unrepresentableValue
            case connectionTimeout, cancelled, closed, transactionEnded, noOverflowColumn
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The record's declaration is unusable (reported on first use, never as a trap).
        public static let invalidRecord = Code(.invalidRecord)
        /// The query cannot run as written; ``DriftlessError/queryProblem`` says why.
        public static let invalidQuery = Code(.invalidQuery)
        /// A write, or a lookup by key, needs the table and it does not exist.
        public static let missingTable = Code(.missingTable)
        /// The table has a NOT NULL column without a default that the record does not
        /// declare, so no insert through this record can succeed.
        public static let unknownRequiredColumn = Code(.unknownRequiredColumn)
        /// The operation needs this declared column (a primary key column) and the database
        /// lacks it.
        public static let missingKeyColumn = Code(.missingKeyColumn)
        /// A value for a column the database lacks differs from its default, and the
        /// column's policy is ``MissingColumnWritePolicy/reject``.
        public static let valueRejected = Code(.valueRejected)
        /// A stored value cannot be converted to the declared Swift type without loss.
        public static let typeMismatch = Code(.typeMismatch)
        /// A NULL was read for a non-optional property.
        public static let unexpectedNull = Code(.unexpectedNull)
        /// A value to write (or to filter by) cannot be stored so that it reads back as
        /// itself: text holding NUL on PostgreSQL, NaN on SQLite (which stores NULL), a
        /// `Date` that is not finite or outside 4714 BC to 294276 AD. Nothing was sent.
        public static let unrepresentableValue = Code(.unrepresentableValue)
        /// The operation needs a primary key and the record declares none.
        public static let noPrimaryKey = Code(.noPrimaryKey)
        /// An update found no row with the record's primary key.
        public static let recordNotFound = Code(.recordNotFound)
        /// No connection became free within the checkout timeout.
        public static let connectionTimeout = Code(.connectionTimeout)
        /// The task was cancelled: it stopped waiting, or its statement was interrupted.
        public static let cancelled = Code(.cancelled)
        /// The database was closed.
        public static let closed = Code(.closed)
        /// A transaction's repository or savepoint was used after the transaction ended (it
        /// was kept outside the transaction's body).
        public static let transactionEnded = Code(.transactionEnded)
        /// A value for a missing ``MissingColumnWritePolicy/keep`` column could not be kept:
        /// the table has no overflow column (``DriftlessError/detail`` names it). Nothing was
        /// written.
        public static let noOverflowColumn = Code(.noOverflowColumn)

        public var description: String { base.rawValue }
    }

    /// Why a query cannot run as written (``Code/invalidQuery``).
    public struct QueryProblem: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case undeclaredColumn, keyValueCount, emptyMultiRowInsert, unsupportedDecoding
            case multipleStatements, argumentCount, nulCharacter
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The query names a property (``DriftlessError/column``) that is not a declared column.
        public static let undeclaredColumn = QueryProblem(.undeclaredColumn)
        /// The number of key values does not match the record's primary key columns.
        public static let keyValueCount = QueryProblem(.keyValueCount)
        /// A multi-row insert has no column to bind.
        public static let emptyMultiRowInsert = QueryProblem(.emptyMultiRowInsert)
        /// The record's `Decodable` conformance asks for a container rows cannot give.
        public static let unsupportedDecoding = QueryProblem(.unsupportedDecoding)
        /// Raw SQL holds more than one statement where one is run.
        public static let multipleStatements = QueryProblem(.multipleStatements)
        /// Raw SQL's placeholders and the arguments given differ in number.
        public static let argumentCount = QueryProblem(.argumentCount)
        /// Raw SQL holds a NUL character: the database would read it only up to there.
        public static let nulCharacter = QueryProblem(.nulCharacter)

        public var description: String { base.rawValue }
    }

    /// Which error it is.
    public var code: Code
    /// The record type involved, if any.
    public var record: String?
    /// The table involved, if any.
    public var table: TableName?
    /// The column involved, if any.
    public var column: String?
    /// The primary key of the row involved, rendered as `id=42`, if there is a row.
    public var key: String?
    /// For ``Code/typeMismatch``: the Swift type the column was read as.
    public var expected: String?
    /// The value involved (rejected, or stored with the wrong type), if any. Never part of
    /// ``description``.
    public var found: DatabaseValue?
    /// For ``Code/invalidQuery``: why.
    public var queryProblem: QueryProblem?
    /// A sentence saying what is wrong, where the fields alone do not.
    public var detail: String?
    /// For ``Code/connectionTimeout``: how long the caller waited.
    public var seconds: Double?

    public init(
        _ code: Code, record: String? = nil, table: TableName? = nil, column: String? = nil,
        key: String? = nil, expected: String? = nil, found: DatabaseValue? = nil,
        queryProblem: QueryProblem? = nil, detail: String? = nil, seconds: Double? = nil
    ) {
        self.code = code
        self.record = record
        self.table = table
        self.column = column
        self.key = key
        self.expected = expected
        self.found = found
        self.queryProblem = queryProblem
        self.detail = detail
        self.seconds = seconds
    }

    // MARK: Making errors

    /// The record's declaration is unusable.
    public static func invalidRecord(record: String, problem: String) -> DriftlessError {
        DriftlessError(.invalidRecord, record: record, detail: problem)
    }

    /// The query cannot run as written.
    public static func invalidQuery(
        _ problem: QueryProblem, record: String? = nil, column: String? = nil, detail: String
    ) -> DriftlessError {
        DriftlessError(.invalidQuery, record: record, column: column, queryProblem: problem, detail: detail)
    }

    /// The table does not exist.
    public static func missingTable(_ table: TableName) -> DriftlessError {
        DriftlessError(.missingTable, table: table)
    }

    /// The table requires a column the record does not declare.
    public static func unknownRequiredColumn(table: TableName, column: String) -> DriftlessError {
        DriftlessError(.unknownRequiredColumn, table: table, column: column)
    }

    /// The table lacks a primary key column.
    public static func missingKeyColumn(table: TableName, column: String) -> DriftlessError {
        DriftlessError(.missingKeyColumn, table: table, column: column)
    }

    /// A value for a missing column was rejected by its write policy.
    public static func valueRejected(table: TableName, column: String, key: String, value: DatabaseValue)
        -> DriftlessError
    {
        DriftlessError(.valueRejected, table: table, column: column, key: key, found: value)
    }

    /// A value for a missing `.keep` column has no overflow column to go to.
    public static func noOverflowColumn(table: TableName, column: String, key: String, overflowColumn: String,
                                        value: DatabaseValue) -> DriftlessError {
        DriftlessError(.noOverflowColumn, table: table, column: column, key: key, found: value, detail: overflowColumn)
    }

    /// A stored value does not convert to the declared type without loss.
    public static func typeMismatch(
        table: TableName, column: String, key: String, expected: String, found: DatabaseValue
    ) -> DriftlessError {
        DriftlessError(.typeMismatch, table: table, column: column, key: key, expected: expected, found: found)
    }

    /// A NULL was read for a non-optional property.
    public static func unexpectedNull(table: TableName, column: String, key: String) -> DriftlessError {
        DriftlessError(.unexpectedNull, table: table, column: column, key: key)
    }

    /// A value cannot be stored so that it reads back as itself; `problem` says why.
    public static func unrepresentableValue(
        table: TableName? = nil, column: String? = nil, key: String? = nil, value: DatabaseValue? = nil, problem: String
    ) -> DriftlessError {
        DriftlessError(.unrepresentableValue, table: table, column: column, key: key, found: value, detail: problem)
    }

    /// The record declares no primary key.
    public static func noPrimaryKey(record: String) -> DriftlessError {
        DriftlessError(.noPrimaryKey, record: record)
    }

    /// No row has the record's key.
    public static func recordNotFound(table: TableName, key: String) -> DriftlessError {
        DriftlessError(.recordNotFound, table: table, key: key)
    }

    /// No connection became free in time.
    public static func connectionTimeout(seconds: Double) -> DriftlessError {
        DriftlessError(.connectionTimeout, seconds: seconds)
    }

    /// The task was cancelled.
    public static var cancelled: DriftlessError { DriftlessError(.cancelled) }

    /// The database is closed.
    public static var closed: DriftlessError { DriftlessError(.closed) }

    /// The transaction has ended.
    public static var transactionEnded: DriftlessError { DriftlessError(.transactionEnded) }

    // MARK: Messages

    public var description: String { description(revealingValues: false) }

    /// The message, with the value involved shown when `revealingValues` is true (for
    /// debugging; values may be personal data, so messages leave them out by default).
    public func description(revealingValues: Bool) -> String {
        let table = table.map(\.description) ?? "?"
        let column = column ?? "?"
        let key = key ?? "?"
        let value = found.map { revealingValues ? "\($0)" : $0.redactedDescription } ?? "a value"
        switch code {
        case .invalidRecord:
            return "invalid record \(record ?? "?"): \(detail ?? "unusable declaration")"
        case .invalidQuery:
            return "invalid query: \(detail ?? queryProblem?.description ?? "cannot run")"
        case .missingTable:
            return "table \(table) does not exist (run its migration, or opt in to createMissingTables)"
        case .unknownRequiredColumn:
            return "table \(table) has a NOT NULL column \"\(column)\" without a default that the record does not declare; declare it or give it a default"
        case .missingKeyColumn:
            return "table \(table) lacks the primary key column \"\(column)\""
        case .valueRejected:
            return "cannot write \(value) to \(table).\(column) for row \(key): the database lacks that column and its policy is .reject"
        case .typeMismatch:
            return "\(table).\(column) of row \(key) holds \(value), which is not a lossless \(expected ?? "value of the declared type")"
                + (detail.map { " (\($0))" } ?? "")
        case .unexpectedNull:
            return "\(table).\(column) of row \(key) is NULL, but the record's property is not optional"
        case .unrepresentableValue:
            let row = self.key.map { " of row \($0)" } ?? ""
            let shown = found.map { " (\(revealingValues ? "\($0)" : $0.redactedDescription))" } ?? ""
            return "cannot store the value\(shown) of \(table).\(column)\(row): \(detail ?? "the database cannot hold it exactly"); nothing was sent"
        case .noPrimaryKey:
            return "record \(record ?? "?") declares no primary key column"
        case .recordNotFound:
            return "no row of \(table) has the key \(key)"
        case .connectionTimeout:
            return "no database connection became free within \(seconds ?? 0) s"
        case .cancelled:
            return "the task was cancelled" + (detail.map { ": \($0)" } ?? "")
        case .closed:
            return "the database is closed"
        case .noOverflowColumn:
            return "cannot keep \(value) for \(table).\(column) of row \(key): the database lacks that column and the table has no overflow column \"\(detail ?? "?")\" (add it, as TEXT on SQLite or jsonb on PostgreSQL); nothing was written"
        case .transactionEnded:
            return "the transaction has ended: use its repositories only inside its body"
        default:
            return "\(code)" + (detail.map { ": \($0)" } ?? "")
        }
    }
}

extension DatabaseValue {
    /// The storage class and size of a value, without the value: what error messages show.
    public var redactedDescription: String {
        switch self {
        case .null: "NULL"
        case .integer: "an INTEGER"
        case .real: "a REAL"
        case .text(let text): "TEXT (\(text.utf8.count) bytes)"
        case .blob(let bytes): "a BLOB (\(bytes.count) bytes)"
        }
    }
}
