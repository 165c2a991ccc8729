import CSQLite
import Foundation
import Driftless

/// Turns SQLite result codes and messages into classified ``DatabaseError``s.
///
/// SQLite reports a missing column or table with the generic code 1 (`SQLITE_ERROR`): only
/// its message tells them apart, so this is the one place that reads message text.
enum SQLiteErrorClassifier {
    static func error(code: Int32, connection: OpaquePointer?, sql: String?) -> DatabaseError {
        let extended = connection.map { sqlite3_extended_errcode($0) } ?? code
        let message = connection.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
        return error(code: extended == 0 ? code : extended, message: message, sql: sql)
    }

    static func error(code: Int32, message: String, sql: String?) -> DatabaseError {
        var error = DatabaseError(kind: kind(code: code, message: message), code: code, message: message, sql: sql)
        switch error.kind {
        case .undefinedColumn:
            error.column = (message.text(after: "no such column: ") ?? message.text(after: " has no column named "))
                .map(unqualified)
        case .undefinedTable:
            error.table = message.text(after: "no such table: ").map(unqualified)
        case .notNullViolation:
            // "NOT NULL constraint failed: table.column"
            error.column = message.text(after: "constraint failed: ").map(unqualified)
        default:
            break
        }
        return error
    }

    /// The kind of an error. Messages are matched byte for byte: the names they end with
    /// may start with a combining mark or a joiner (`no such table: ` + U+200D), which
    /// `String.hasPrefix` would fold into the space before it and miss.
    static func kind(code: Int32, message: String) -> DatabaseError.Kind {
        switch code & 0xFF {
        case SQLITE_ERROR:
            if message.utf8.starts(with: "no such column: ".utf8) { return .undefinedColumn }
            if message.utf8.starts(with: "no such table: ".utf8) { return .undefinedTable }
            if message.utf8.starts(with: "table ".utf8), message.text(after: " has no column named ") != nil { return .undefinedColumn }
            if message.text(after: "syntax error") != nil || message.text(after: "unrecognized token") != nil { return .syntax }
            return .other
        case SQLITE_CONSTRAINT:
            switch code {
            case driftless_sqlite_constraint_notnull:
                return .notNullViolation
            case driftless_sqlite_constraint_unique, driftless_sqlite_constraint_primarykey:
                return .uniqueViolation
            default:
                return .constraintViolation
            }
        case SQLITE_BUSY, SQLITE_LOCKED: return .busy
        case SQLITE_READONLY: return .readOnly
        case SQLITE_CORRUPT, SQLITE_NOTADB: return .corrupt
        case SQLITE_CANTOPEN: return .cannotOpen
        case SQLITE_MISMATCH: return .typeMismatch
        case SQLITE_INTERRUPT: return .interrupted
        default: return .other
        }
    }

    /// `main.users` → `users`, `users.plan` → `plan` (best effort: names may hold dots too).
    private static func unqualified(_ name: String) -> String {
        guard let dot = name.utf8.lastIndex(of: UInt8(ascii: ".")) else { return name }
        return String(decoding: name.utf8[name.utf8.index(after: dot)...], as: UTF8.self)
    }
}

extension String {
    /// The text after the first occurrence of `marker`, found byte for byte, if there is one.
    func text(after marker: String) -> String? {
        let bytes = Array(utf8), pattern = Array(marker.utf8)
        guard pattern.count <= bytes.count else { return nil }
        for start in 0...(bytes.count - pattern.count) where bytes[start..<(start + pattern.count)].elementsEqual(pattern) {
            return String(decoding: bytes[(start + pattern.count)...], as: UTF8.self)
        }
        return nil
    }
}
