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
            error.column = (message.suffix(after: "no such column: ") ?? message.suffix(after: " has no column named "))
                .map(unqualified)
        case .undefinedTable:
            error.table = message.suffix(after: "no such table: ").map(unqualified)
        case .notNullViolation:
            // "NOT NULL constraint failed: table.column"
            error.column = message.suffix(after: "constraint failed: ").map(unqualified)
        default:
            break
        }
        return error
    }

    static func kind(code: Int32, message: String) -> DatabaseError.Kind {
        switch code & 0xFF {
        case SQLITE_ERROR:
            if message.hasPrefix("no such column: ") { return .undefinedColumn }
            if message.hasPrefix("no such table: ") { return .undefinedTable }
            if message.hasPrefix("table "), message.contains(" has no column named ") { return .undefinedColumn }
            if message.contains("syntax error") || message.contains("unrecognized token") { return .syntax }
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

    /// `main.users` → `users`, `users.plan` → `plan`.
    private static func unqualified(_ name: String) -> String {
        name.split(separator: ".").last.map(String.init) ?? name
    }
}

extension String {
    /// The text after `marker`, if the string contains it.
    func suffix(after marker: String) -> String? {
        guard let range = range(of: marker) else { return nil }
        return String(self[range.upperBound...])
    }
}
