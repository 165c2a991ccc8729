import CSQLite
import Driftless

/// A valid pointer to a zero byte, bound for empty text and blobs (never read or freed).
nonisolated(unsafe) private let emptyValue = UnsafeRawPointer(StaticString("").utf8Start)

/// A prepared SQLite statement (`sqlite3_prepare_v3` with `SQLITE_PREPARE_PERSISTENT`).
///
/// Owned by one ``SQLiteConnection`` and used only by the thread that holds it.
public final class SQLiteStatement: DriverStatement {
    let handle: OpaquePointer
    private let connection: OpaquePointer
    /// The SQL, for error messages.
    public let sql: String
    public let columnCount: Int

    /// Compiles one statement. SQL holding a NUL, or a second statement after the first, is
    /// an ``DriftlessError/Code/invalidQuery`` error: SQLite would silently compile only the
    /// text before it.
    init(sql: String, connection: OpaquePointer) throws {
        try RawSQL.check(sql)
        var statement: OpaquePointer?
        let (code, isFollowed) = sql.withCString { text in
            var tail: UnsafePointer<CChar>?
            let code = sqlite3_prepare_v3(connection, text, -1, UInt32(driftless_sqlite_prepare_persistent), &statement, &tail)
            return (code, code == SQLITE_OK && Self.holdsStatement(tail, connection))
        }
        if isFollowed {
            sqlite3_finalize(statement)
            throw RawSQL.multipleStatements
        }
        guard code == SQLITE_OK, let statement else {
            sqlite3_finalize(statement)
            throw SQLiteErrorClassifier.error(code: code, connection: connection, sql: sql)
        }
        handle = statement
        self.connection = connection
        self.sql = sql
        columnCount = Int(sqlite3_column_count(statement))
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Whether the text after a statement holds another one (anything but spaces, comments
    /// and semicolons; text that does not compile counts).
    private static func holdsStatement(_ tail: UnsafePointer<CChar>?, _ connection: OpaquePointer) -> Bool {
        var rest = tail
        while let text = rest, text.pointee != 0 {
            var statement: OpaquePointer?
            var next: UnsafePointer<CChar>?
            let code = sqlite3_prepare_v3(connection, text, -1, 0, &statement, &next)
            sqlite3_finalize(statement)
            if code != SQLITE_OK || statement != nil { return true }
            if next == text { return false }
            rest = next
        }
        return false
    }

    public var parameterCount: Int? { Int(sqlite3_bind_parameter_count(handle)) }

    /// `$n` by name (SQLite numbers parameters by first appearance, so `$2, $1` would bind
    /// backwards by position); `?` and other placeholders by position.
    public func bindArgument(_ value: DatabaseValue, position: Int) throws {
        guard let first = sqlite3_bind_parameter_name(handle, 1), first.pointee == UInt8(ascii: "$") else {
            return try bind(value, at: position)
        }
        let index = Int(sqlite3_bind_parameter_index(handle, "$\(position)"))
        guard index > 0 else { throw RawSQL.argumentCount() }
        try bind(value, at: index)
    }

    public func bind(_ value: DatabaseValue, at index: Int) throws {
        let position = Int32(index)
        let code: Int32
        switch value {
        case .null:
            code = sqlite3_bind_null(handle, position)
        case .integer(let integer):
            code = sqlite3_bind_int64(handle, position, integer)
        case .real(let real):
            // SQLite stores NaN as NULL: refuse it rather than lose it.
            if real.isNaN { throw DriftlessError.unrepresentableValue(value: value, problem: "SQLite cannot hold NaN (it stores NULL instead)") }
            code = sqlite3_bind_double(handle, position, real)
        case .text(var text):
            code = text.withUTF8 { bytes in
                // An empty string must still bind a non-null pointer, or it would bind NULL.
                let start: UnsafeRawPointer = bytes.baseAddress.map { UnsafeRawPointer($0) } ?? emptyValue
                return driftless_sqlite3_bind_text(
                    handle, position, start.assumingMemoryBound(to: CChar.self), Int32(bytes.count))
            }
        case .blob(let bytes):
            code = bytes.withUnsafeBytes { buffer in
                // A zero-length blob needs a non-null pointer to stay a blob rather than NULL.
                driftless_sqlite3_bind_blob(handle, position, buffer.baseAddress ?? emptyValue, Int32(buffer.count))
            }
        }
        if code != SQLITE_OK {
            throw SQLiteErrorClassifier.error(code: code, connection: connection, sql: sql)
        }
    }

    @inline(__always)
    public func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code: throw SQLiteErrorClassifier.error(code: code, connection: connection, sql: sql)
        }
    }

    @inline(__always)
    public func reset() {
        sqlite3_reset(handle)
    }

    public var changedRowCount: Int { Int(sqlite3_changes(connection)) }

    public func columnName(at index: Int) -> String {
        sqlite3_column_name(handle, Int32(index)).map { String(cString: $0) } ?? ""
    }

    public func isNull(at index: Int) -> Bool {
        sqlite3_column_type(handle, Int32(index)) == SQLITE_NULL
    }

    public func int64(at index: Int) -> Int64? {
        let column = Int32(index)
        guard sqlite3_column_type(handle, column) == SQLITE_INTEGER else { return nil }
        return sqlite3_column_int64(handle, column)
    }

    public func double(at index: Int) -> Double? {
        let column = Int32(index)
        guard sqlite3_column_type(handle, column) == SQLITE_FLOAT else { return nil }
        return sqlite3_column_double(handle, column)
    }

    public func text(at index: Int) -> String? {
        let column = Int32(index)
        guard sqlite3_column_type(handle, column) == SQLITE_TEXT else { return nil }
        guard let text = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return DatabaseValue.string(validating: UnsafeBufferPointer(start: text, count: count))
    }

    @inline(__always)
    public func value(at index: Int) -> DatabaseValue {
        let column = Int32(index)
        switch sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(handle, column))
        case SQLITE_FLOAT:
            return .real(sqlite3_column_double(handle, column))
        case SQLITE_TEXT:
            guard let text = sqlite3_column_text(handle, column) else { return .text("") }
            let count = Int(sqlite3_column_bytes(handle, column))
            return DatabaseValue(text: UnsafeBufferPointer(start: text, count: count))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(handle, column))
            guard count > 0, let bytes = sqlite3_column_blob(handle, column) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default:
            return .null
        }
    }
}
