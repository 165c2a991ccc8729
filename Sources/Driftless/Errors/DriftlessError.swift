/// An error of Driftless's own: a record, a value or a table that cannot be used as asked.
///
/// Each case names the table and column involved, and the row's primary key where there is
/// a row, so the message alone says what to fix.
public enum DriftlessError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The record's declaration is unusable (reported on first use, never as a trap).
    case invalidRecord(record: String, problem: String)
    /// The query cannot run as written (for example it names a property that is not a column).
    case invalidQuery(String)
    /// A write, or a lookup by key, needs the table and it does not exist.
    case missingTable(TableName)
    /// The table has a NOT NULL column without a default that the record does not declare,
    /// so no insert through this record can succeed.
    case unknownRequiredColumn(table: TableName, column: String)
    /// The operation needs this declared column (a primary key column) and the database lacks it.
    case missingKeyColumn(table: TableName, column: String)
    /// A value for a column the database lacks differs from its default, and the column's
    /// policy is ``MissingColumnWritePolicy/reject``.
    case valueRejected(table: TableName, column: String, key: String, value: DatabaseValue)
    /// A stored value cannot be converted to the declared Swift type without loss.
    case typeMismatch(table: TableName, column: String, key: String, expected: String, found: DatabaseValue)
    /// A NULL was read for a non-optional property.
    case unexpectedNull(table: TableName, column: String, key: String)
    /// The operation needs a primary key and the record declares none.
    case noPrimaryKey(record: String)
    /// An update found no row with the record's primary key.
    case recordNotFound(table: TableName, key: String)
    /// No connection became free within the checkout timeout.
    case connectionTimeout(seconds: Double)
    /// The database was closed.
    case closed

    public var description: String {
        switch self {
        case .invalidRecord(let record, let problem):
            "invalid record \(record): \(problem)"
        case .invalidQuery(let problem):
            "invalid query: \(problem)"
        case .missingTable(let table):
            "table \(table) does not exist (run its migration, or opt in to createMissingTables)"
        case .unknownRequiredColumn(let table, let column):
            "table \(table) has a NOT NULL column \"\(column)\" without a default that the record does not declare; declare it or give it a default"
        case .missingKeyColumn(let table, let column):
            "table \(table) lacks the primary key column \"\(column)\""
        case .valueRejected(let table, let column, let key, let value):
            "cannot write \(value) to \(table).\(column) for row \(key): the database lacks that column and its policy is .reject"
        case .typeMismatch(let table, let column, let key, let expected, let found):
            "\(table).\(column) of row \(key) holds \(found.storageClassName) \(found), which is not a lossless \(expected)"
        case .unexpectedNull(let table, let column, let key):
            "\(table).\(column) of row \(key) is NULL, but the record's property is not optional"
        case .noPrimaryKey(let record):
            "record \(record) declares no primary key column"
        case .recordNotFound(let table, let key):
            "no row of \(table) has the key \(key)"
        case .connectionTimeout(let seconds):
            "no database connection became free within \(seconds) s"
        case .closed:
            "the database is closed"
        }
    }
}
