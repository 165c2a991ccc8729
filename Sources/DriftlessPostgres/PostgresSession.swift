import CLibPQ
import Driftless
import Foundation

/// The libpq connection (`PGconn`) shared by a ``PostgresConnection`` and its statements.
///
/// Statements keep it alive (so the connection is finished only after the last of them is
/// gone) but it references none of them, so there is no cycle. Used by one thread at a time.
///
/// ## Drift inside transactions: the probe savepoint
///
/// On PostgreSQL any error inside a transaction block aborts it (every later statement fails
/// with 25P02 until ROLLBACK), so the core's recovery (reflect the table on the same
/// connection, recompile, retry) would itself fail and the caller's transaction would be
/// lost. The backend therefore runs, inside a transaction, **the first execution of each
/// statement in that transaction** (and each new statement's PREPARE) between
/// `SAVEPOINT driftless_probe` and `RELEASE SAVEPOINT driftless_probe`. If it fails with a
/// drift error (42703, 42P01, 0A000 from RevalidateCachedQuery) or a NOT NULL violation (which
/// the core answers by reflecting), the session runs `ROLLBACK TO SAVEPOINT driftless_probe`
/// before throwing, so the transaction stays usable and the reflect-and-retry works. Other
/// errors leave the transaction aborted, as PostgreSQL always does.
///
/// Why only the first execution per transaction: parsing or executing a statement takes an
/// ACCESS SHARE lock on its tables that is held until the transaction ends, and ALTER TABLE
/// needs ACCESS EXCLUSIVE, so once a statement has run in a transaction no other session can
/// change its tables' columns until the transaction ends. Only this session can, and any
/// SQL run through ``PostgresConnection/execute(_:)`` (where DDL goes) therefore resets the
/// probes. The cost is two extra round trips once per statement per transaction (none in
/// autocommit, none for the 9,999 rows after the first of a 10,000-row batch insert), and
/// no subtransaction stays open, so no subtransaction ID piles up in long transactions.
/// Probing every execution would have cost those round trips on every statement, hence once
/// per statement per transaction (BENCHMARKS.md, "Design measurements", has the figures).
final class PostgresSession {
    let handle: OpaquePointer
    let usesUnnamedStatements: Bool
    private var statementCounter = 0
    /// Named statements whose Swift object is gone, deallocated on the server when idle.
    var pendingDeallocations: [String] = []
    /// Bumped for each new transaction (and after any SQL run through `execute`), so that a
    /// statement knows whether it already ran once in the current one.
    private(set) var transactionSerial = 0
    private var sawIdle = true

    init(handle: OpaquePointer, usesUnnamedStatements: Bool) {
        self.handle = handle
        self.usesUnnamedStatements = usesUnnamedStatements
    }

    deinit {
        PQfinish(handle)
    }

    /// A new statement name, unique on this connection.
    func nextStatementName() -> String {
        statementCounter += 1
        return "driftless_\(statementCounter)"
    }

    /// A new cursor name, unique on this connection.
    func nextCursorName() -> String {
        statementCounter += 1
        return "driftless_cursor_\(statementCounter)"
    }

    /// The serial of the transaction in progress, or nil outside a transaction block.
    func currentTransaction() -> Int? {
        switch PQtransactionStatus(handle) {
        case PQTRANS_INTRANS, PQTRANS_INERROR, PQTRANS_ACTIVE:
            if sawIdle {
                transactionSerial += 1
                sawIdle = false
            }
            return transactionSerial
        default:
            sawIdle = true
            return nil
        }
    }

    /// Forgets which statements ran in the current transaction (after DDL of our own).
    func resetProbes() {
        transactionSerial += 1
        _ = currentTransaction()
    }

    var isInFailedTransaction: Bool { PQtransactionStatus(handle) == PQTRANS_INERROR }

    /// Whether the connection is usable and outside any transaction.
    var isIdleAndHealthy: Bool {
        PQstatus(handle) == CONNECTION_OK && PQtransactionStatus(handle) == PQTRANS_IDLE
    }

    /// Runs SQL without parameters (possibly several statements); throws on failure.
    func command(_ sql: String) throws {
        let result = PQexec(handle, sql)
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return
        default:
            throw PostgresErrorClassifier.error(result: result, connection: handle, sql: sql)
        }
    }

    /// Runs `body` under the probe savepoint (see the type's documentation).
    func probe<T>(_ body: () throws -> T) throws -> T {
        try command("SAVEPOINT driftless_probe")
        let result: T
        do {
            result = try body()
        } catch let error as DatabaseError {
            if error.isSchemaDrift || error.kind == .notNullViolation { try rollBackProbe() }
            throw error
        } catch let error as DriftlessError where error.code == .invalidQuery {
            // SQL the server refused before running it: the caller's transaction goes on, as on SQLite.
            try rollBackProbe()
            throw error
        }
        try command("RELEASE SAVEPOINT driftless_probe")
        return result
    }

    private func rollBackProbe() throws {
        try command("ROLLBACK TO SAVEPOINT driftless_probe; RELEASE SAVEPOINT driftless_probe")
    }

    /// Deallocates named statements that are no longer used, when outside a transaction (so
    /// that a failure cannot abort one).
    func flushDeallocations() {
        guard !pendingDeallocations.isEmpty, PQtransactionStatus(handle) == PQTRANS_IDLE else { return }
        let sql = pendingDeallocations.map { "DEALLOCATE \"\($0)\"" }.joined(separator: "; ")
        pendingDeallocations.removeAll()
        try? command(sql)
    }

    /// Runs a query with text parameters and returns its rows as text (NULL as nil).
    func rows(_ sql: String, _ parameters: [String]) throws -> [[String?]] {
        var copies = parameters.map { strdup($0).map { UnsafePointer($0) } }
        defer { for copy in copies { free(UnsafeMutablePointer(mutating: copy)) } }
        let result = copies.withUnsafeMutableBufferPointer { buffer in
            PQexecParams(handle, sql, Int32(buffer.count), nil, buffer.baseAddress, nil, nil, 0)
        }
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_TUPLES_OK else {
            throw PostgresErrorClassifier.error(result: result, connection: handle, sql: sql)
        }
        var rows: [[String?]] = []
        let columnCount = PQnfields(result)
        for row in 0..<PQntuples(result) {
            rows.append((0..<columnCount).map { column in
                PQgetisnull(result, row, column) != 0 ? nil : String(cString: PQgetvalue(result, row, column))
            })
        }
        return rows
    }
}
