import CSQLite
import Driftless

/// Runs SQL that may hold several statements, one after another, as `sqlite3_exec` does,
/// but refusing a statement with placeholders: with nothing to bind, `sqlite3_exec` would
/// run it with NULL for each (PostgreSQL reports `there is no parameter $1`).
enum SQLiteScript {
    static func run(_ sql: String, on connection: OpaquePointer) throws {
        try RawSQL.check(sql)
        try sql.withCString { text in
            var rest: UnsafePointer<CChar>? = text
            while let current = rest, current.pointee != 0 {
                var statement: OpaquePointer?
                var tail: UnsafePointer<CChar>?
                var code = sqlite3_prepare_v3(connection, current, -1, 0, &statement, &tail)
                defer { sqlite3_finalize(statement) }
                guard code == SQLITE_OK else { throw SQLiteErrorClassifier.error(code: code, connection: connection, sql: sql) }
                if let statement {
                    let placeholders = Int(sqlite3_bind_parameter_count(statement))
                    if placeholders > 0 { throw RawSQL.argumentCount(placeholders: placeholders, arguments: 0) }
                    repeat { code = sqlite3_step(statement) } while code == SQLITE_ROW
                    guard code == SQLITE_DONE else { throw SQLiteErrorClassifier.error(code: code, connection: connection, sql: sql) }
                }
                if tail == current { break }
                rest = tail
            }
        }
    }
}
