import CLibPQ
import Driftless

/// Turns libpq failures into classified ``DatabaseError``s, by SQLSTATE only.
///
/// Server messages are translated according to `lc_messages`, so their text is never read to
/// decide anything: the SQLSTATE field (`PG_DIAG_SQLSTATE`), the source function
/// (`PG_DIAG_SOURCE_FUNCTION`, to tell a stale cached plan from other 0A000 errors) and the
/// column field (`PG_DIAG_COLUMN_NAME`) are.
enum PostgresErrorClassifier {
    /// The error of a failed result (or of the connection, when there is no result): a
    /// classified ``DatabaseError``, or, for raw SQL the server refused before running it,
    /// the ``DriftlessError/Code/invalidQuery`` error SQLite gives for the same SQL.
    static func error(result: OpaquePointer?, connection: OpaquePointer?, sql: String?) -> any Error {
        if let result, let problem = queryProblem(result) { return problem }
        return databaseError(result: result, connection: connection, sql: sql)
    }

    /// The caller's SQL did not match what it was run with, found by the server while it
    /// parsed or bound the statement (by SQLSTATE and the reporting function, never by
    /// message): several statements where one is prepared (42601 from `exec_parse_message`),
    /// or a Bind carrying another number of values than the statement has placeholders
    /// (08P01 from `exec_bind_message`, a protocol error that does not mean the connection
    /// is lost), or a placeholder in SQL run without values (42P02).
    private static func queryProblem(_ result: OpaquePointer) -> DriftlessError? {
        switch (field(result, driftless_pg_diag_sqlstate), field(result, driftless_pg_diag_source_function)) {
        case ("42601", "exec_parse_message"): RawSQL.multipleStatements
        case ("08P01", "exec_bind_message"), ("42P02", _): RawSQL.argumentCount()
        default: nil
        }
    }

    static func databaseError(result: OpaquePointer?, connection: OpaquePointer?, sql: String?) -> DatabaseError {
        guard let result, let state = field(result, driftless_pg_diag_sqlstate) else {
            // No SQLSTATE: libpq itself failed, almost always because the connection is gone.
            var message = connection.map { String(cString: PQerrorMessage($0)) } ?? "no connection"
            if let result, let text = PQresultErrorMessage(result), text.pointee != 0 { message = String(cString: text) }
            let lost = connection.map { PQstatus($0) == CONNECTION_BAD } ?? true
            return DatabaseError(kind: lost ? .connectionLost : .other, message: trimmed(message), sql: sql)
        }
        let message = field(result, driftless_pg_diag_message_primary)
            ?? trimmed(String(cString: PQresultErrorMessage(result)))
        var kind = kind(sqlState: state, sourceFunction: field(result, driftless_pg_diag_source_function))
        if kind != .connectionLost, let connection, PQstatus(connection) == CONNECTION_BAD { kind = .connectionLost }
        return DatabaseError(
            kind: kind, sqlState: state, message: message, sql: sql,
            table: field(result, driftless_pg_diag_table_name), column: field(result, driftless_pg_diag_column_name))
    }

    /// The kind of an error with this SQLSTATE.
    static func kind(sqlState: String, sourceFunction: String?) -> DatabaseError.Kind {
        switch sqlState {
        case "42703": return .undefinedColumn
        case "42P01": return .undefinedTable
        case "0A000" where sourceFunction == "RevalidateCachedQuery": return .staleStatement
        case "25P02": return .transactionAborted
        case "40001", "40P01": return .retryable
        case "57014": return .interrupted
        case "23502": return .notNullViolation
        case "23505": return .uniqueViolation
        case "42601": return .syntax
        case "22P02", "42804": return .typeMismatch
        case "25006": return .readOnly
        case "57P01", "57P02", "57P03": return .connectionLost
        default:
            if sqlState.hasPrefix("23") { return .constraintViolation }
            if sqlState.hasPrefix("08") { return .connectionLost }
            return .other
        }
    }

    private static func field(_ result: OpaquePointer, _ code: Int32) -> String? {
        PQresultErrorField(result, code).map { String(cString: $0) }
    }

    static func trimmed(_ message: String) -> String {
        var message = Substring(message)
        while let last = message.last, last.isWhitespace { message.removeLast() }
        if message.hasPrefix("ERROR:  ") { message = message.dropFirst(8) }
        return String(message)
    }
}
