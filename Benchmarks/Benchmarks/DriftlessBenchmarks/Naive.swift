import RawSQLite

/// The pattern teams hand-write today around an ORM (the Python shape is
/// `try: session.execute(full) except OperationalError: conn.execute(text(raw))`), written
/// here against the C API so that only the pattern's own cost shows:
///
/// every call first prepares the full statement naming the missing `plan` column, which
/// fails (`no such column: plan` / `table items has no column named plan`); it catches that
/// error, then prepares and runs a raw statement without the column, fills in the default and
/// finalizes. Nothing is remembered between calls, which is what makes it correct when the
/// migration lands, and slow until it does.
final class NaiveContender {
    let connection: RawConnection

    init(path: String) throws {
        connection = try RawConnection(path: path)
    }

    /// Prepares `full`; on a drift error, prepares `fallback` instead.
    @inline(__always)
    private func prepareTolerantly(_ full: String, fallback: String, drift: String) throws -> (OpaquePointer, Bool) {
        do {
            return (try connection.prepare(full), true)
        } catch let error as BenchmarkFailure {
            guard error.description.hasPrefix(drift) else { throw error }
            return (try connection.prepare(fallback), false)
        }
    }

    func find(_ key: Int64) throws -> DriftedItem? {
        let (statement, isFull) = try prepareTolerantly(
            Fixture.driftedSelectByKey, fallback: Fixture.selectByKey, drift: "no such column")
        defer { sqlite3_finalize(statement) }
        sqlite3_bind_int64(statement, 1, key)
        switch sqlite3_step(statement) {
        case SQLITE_ROW:
            let plan = isFull ? columnText(statement, 10) : "free"
            return DriftedItem(item: decodeItem(statement), plan: plan)
        case SQLITE_DONE: return nil
        default: throw BenchmarkFailure(connection.errorMessage)
        }
    }

    func fetchAll() throws -> [DriftedItem] {
        let (statement, isFull) = try prepareTolerantly(
            Fixture.driftedSelectAll, fallback: Fixture.selectAll, drift: "no such column")
        defer { sqlite3_finalize(statement) }
        var items: [DriftedItem] = []
        while true {
            switch sqlite3_step(statement) {
            case SQLITE_ROW:
                let plan = isFull ? columnText(statement, 10) : "free"
                items.append(DriftedItem(item: decodeItem(statement), plan: plan))
            case SQLITE_DONE: return items
            default: throw BenchmarkFailure(connection.errorMessage)
            }
        }
    }

    /// One transaction; each row tries the full INSERT, fails, and retries without `plan`.
    func insert(contentsOf items: [DriftedItem]) throws {
        try connection.execute("BEGIN IMMEDIATE")
        do {
            for item in items {
                let (statement, isFull) = try prepareTolerantly(
                    Fixture.driftedInsert, fallback: Fixture.insert, drift: "table items has no column named")
                defer { sqlite3_finalize(statement) }
                bindItem(item.base, to: statement)
                if isFull { bindText(item.plan, to: statement, at: 11) }
                guard sqlite3_step(statement) == SQLITE_DONE else { throw BenchmarkFailure(connection.errorMessage) }
            }
            try connection.execute("COMMIT")
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }
}

extension DriftedItem {
    /// The columns the table has.
    var base: Item {
        Item(id: id, name: name, email: email, age: age, score: score, city: city, country: country,
             visits: visits, balance: balance, note: note)
    }
}
