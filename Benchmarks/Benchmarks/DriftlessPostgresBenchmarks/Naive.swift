import Foundation
import RawLibPQ

/// The pattern teams hand-write today around an ORM (the Python shape is
/// `try: session.execute(full) except UndefinedColumn: session.execute(text(raw))`), written
/// here against libpq so that only the pattern's own cost shows:
///
/// every call first runs the full statement naming the missing `plan` column
/// (`PQexecParams`: parse, bind and execute in one round trip), which the server rejects with
/// SQLSTATE 42703 (undefined column); it checks the SQLSTATE, then runs a raw statement
/// without the column (`PQexecParams` again) and fills in the default. Nothing is remembered
/// between calls, which is what makes it correct when the migration lands, and slow until it
/// does: two round trips per call.
///
/// Inside a transaction the failed statement would abort it (25P02), so the insert wraps each
/// row's attempt in a savepoint, as `session.begin_nested()` does: `SAVEPOINT`, the failing
/// INSERT, `ROLLBACK TO SAVEPOINT` + `RELEASE` (one `PQexec`), the raw INSERT — four round
/// trips per row.
final class NaiveContender {
    let connection: RawPG
    private let parameters = ParameterBuffer()

    init(schema: BenchSchema) throws {
        connection = try RawPG(parameters: schema.parameters)
    }

    /// Runs `full`; on 42703, runs `fallback` instead. Returns the result and whether it is
    /// the full statement's.
    @inline(__always)
    private func executeTolerantly(_ full: String, fallback: String) throws -> (OpaquePointer, Bool) {
        let handle = connection.handle
        let first = parameters.withValues { count, values in
            PQexecParams(handle, full, count, nil, values, nil, nil, 0)
        }
        guard let first else { throw BenchmarkFailure(connection.errorMessage) }
        switch PQresultStatus(first) {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK:
            return (first, true)
        default:
            let state = PQresultErrorField(first, raw_pg_diag_sqlstate).map { String(cString: $0) }
            PQclear(first)
            guard state == "42703" else { throw BenchmarkFailure("\(full): \(connection.errorMessage)") }
        }
        let second = parameters.withValues { count, values in
            PQexecParams(handle, fallback, count, nil, values, nil, nil, 0)
        }
        switch PQresultStatus(second) {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK:
            return (second!, false)
        default:
            PQclear(second)
            throw BenchmarkFailure("\(fallback): \(connection.errorMessage)")
        }
    }

    func find(_ key: Int64) throws -> DriftedItem? {
        parameters.reset()
        parameters.append(key)
        let (result, isFull) = try executeTolerantly(Fixture.driftedSelectByKey, fallback: Fixture.selectByKey)
        defer { PQclear(result) }
        guard PQntuples(result) > 0 else { return nil }
        return DriftedItem(item: decodeItem(result, 0), plan: isFull ? columnText(result, 0, 10) : "free")
    }

    func fetchAll() throws -> [DriftedItem] {
        parameters.reset()
        let (result, isFull) = try executeTolerantly(Fixture.driftedSelectAll, fallback: Fixture.selectAll)
        defer { PQclear(result) }
        var items: [DriftedItem] = []
        for row in 0..<PQntuples(result) {
            items.append(DriftedItem(item: decodeItem(result, row), plan: isFull ? columnText(result, row, 10) : "free"))
        }
        return items
    }

    /// One transaction; each row tries the full INSERT under a savepoint, fails, and retries
    /// without `plan`.
    func insert(contentsOf items: [DriftedItem]) throws {
        try connection.execute("BEGIN")
        do {
            for item in items {
                try connection.execute("SAVEPOINT naive")
                parameters.set(item.base)
                parameters.append(item.plan)
                let handle = connection.handle
                let first = parameters.withValues { count, values in
                    PQexecParams(handle, Fixture.driftedInsert, count, nil, values, nil, nil, 0)
                }
                let status = PQresultStatus(first)
                let state = PQresultErrorField(first, raw_pg_diag_sqlstate).map { String(cString: $0) }
                PQclear(first)
                if status == PGRES_COMMAND_OK {
                    try connection.execute("RELEASE SAVEPOINT naive")
                    continue
                }
                guard state == "42703" else { throw BenchmarkFailure("insert: \(connection.errorMessage)") }
                try connection.execute("ROLLBACK TO SAVEPOINT naive; RELEASE SAVEPOINT naive")
                parameters.set(item.base)
                let second = parameters.withValues { count, values in
                    PQexecParams(handle, Fixture.insert, count, nil, values, nil, nil, 0)
                }
                defer { PQclear(second) }
                try connection.check(second, "insert")
            }
            try connection.execute("COMMIT")
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }
}
