import Driftless
import Foundation
import Testing

/// `forEach` is a cursor on every backend: bounded memory whatever the row count, an early
/// exit that leaves the connection usable, and a body free to use its own transaction.
enum CursorConformance {
    /// Rows of the bounded-memory scan: 200,000, or `DRIFTLESS_CURSOR_ROWS` (which also
    /// prints the measured peaks, to reproduce the figure for 1,000,000 rows:
    /// `DRIFTLESS_CURSOR_ROWS=1000000 swift test --filter cursorBoundedMemory`).
    static let largeTableRows = ProcessInfo.processInfo.environment["DRIFTLESS_CURSOR_ROWS"].flatMap { Int($0) } ?? 200_000

    /// Fills `members` with `count` rows in one statement of the database's own.
    static func createLargeMembers<D: TestDatabase>(in db: D, count: Int) throws {
        try DriftConformance.createMembers(in: db, missing: [], rows: [])
        try db.executeRaw("""
            INSERT INTO members (id, name, age, email, score, active)
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(count))
            SELECT i, 'member ' || i, 20 + i % 50, NULL, i * 2.25, i % 3 <> 0 FROM n
            """)
    }

    /// A scan of 200,000 rows through the cursor raises the peak memory by less than 8 MB,
    /// while reading them all at once needs more than that (so the bound can fail).
    /// Measured here: SQLite 2 MB against 17 MB, PostgreSQL under 0.1 MB against 50 MB.
    static func boundedMemory<D: TestDatabase>(in db: D) throws {
        let count = largeTableRows
        try createLargeMembers(in: db, count: count)
        let members = db.blocking.repository(Member.self)
        var seen = 0
        var idSum: Int64 = 0
        let streamed = try PeakMemory.growth {
            try members.forEach { member in
                seen += 1
                idSum += member.id
            }
        }
        #expect(seen == count)
        #expect(idSum == Int64(count) * Int64(count + 1) / 2)
        var all: [Member] = []
        let buffered = try PeakMemory.growth { all = try members.fetchAll() }
        #expect(all.count == count)
        if ProcessInfo.processInfo.environment["DRIFTLESS_CURSOR_ROWS"] != nil {
            print("\(D.self): \(count) rows, peak memory growth: forEach \(streamed.map { "\($0 >> 10) kB" } ?? "n/a"),"
                  + " fetchAll \(buffered.map { "\($0 >> 10) kB" } ?? "n/a")")
        }
        guard let streamed, let buffered else { return }
        let bound = 8 << 20
        #expect(streamed < bound, "cursor over \(count) rows raised peak memory by \(streamed >> 10) kB")
        #expect(buffered > bound, "fetchAll of \(count) rows raised peak memory by only \(buffered >> 10) kB: the bound proves nothing")
    }

    /// Leaving a cursor early (its body throws) abandons the rest of the result; the next
    /// statements, and cursors, on the database work, in and out of transactions.
    static func earlyExit<D: TestDatabase>(in db: D) throws {
        try createLargeMembers(in: db, count: 20_000)
        let members = db.blocking.repository(Member.self)
        for _ in 0..<3 {
            var seen = 0
            #expect(throws: Enough.self) {
                try members.forEach(Member.order(.ascending(\.id))) { _ in
                    seen += 1
                    if seen == 5 { throw Enough() }
                }
            }
            #expect(seen == 5)
            #expect(try members.count() == 20_000)
        }
        var firstIDs: [Int64] = []
        try members.forEach(Member.filter(\.id <= 3).order(.ascending(\.id))) { firstIDs.append($0.id) }
        #expect(firstIDs == [1, 2, 3])
        try db.blocking.transaction { tx in
            let members = tx.repository(Member.self)
            var seen = 0
            #expect(throws: Enough.self) {
                try members.forEach { _ in
                    seen += 1
                    if seen == 1_500 { throw Enough() }
                }
            }
            #expect(seen == 1_500)
            try members.insert(Member.sample(20_001))
            #expect(try members.count() == 20_001)
        }
        #expect(try members.count() == 20_001)
        // An error in decoding a row, mid-result, leaves the connection usable too.
        try db.executeRaw("CREATE TABLE users (id \(db.sqlType(.integer)) PRIMARY KEY, name TEXT, email TEXT, plan TEXT NOT NULL)")
        try db.executeRaw("INSERT INTO users (id, name, email, plan) VALUES (1, 'Ada', NULL, 'free'), (2, NULL, NULL, 'free'), (3, 'Cy', NULL, 'free')")
        var names: [String] = []
        #expect(throws: DriftlessError.unexpectedNull(table: TableName("users"), column: "name", key: "id=2")) {
            try db.blocking.repository(User.self).forEach(User.order(.ascending(\.id))) { names.append($0.name) }
        }
        #expect(names == ["Ada"])
        #expect(try db.blocking.repository(User.self).count() == 3)
    }

    /// Inside a transaction, the cursor's body may run other statements of the transaction.
    static func bodyUsesItsTransaction<D: TestDatabase>(in db: D) throws {
        try createLargeMembers(in: db, count: 2_500)
        try db.executeRaw(User.oldTableSQL.replacingOccurrences(of: "INTEGER", with: db.sqlType(.integer)))
        try db.blocking.transaction { tx in
            let users = tx.repository(User.self)
            try tx.repository(Member.self).forEach(Member.order(.ascending(\.id))) { member in
                if member.id % 100 == 0 {
                    try users.insert(User(id: member.id, name: member.name, email: nil, plan: "free"))
                    #expect(try users.find(member.id)?.name == member.name)
                }
            }
        }
        #expect(try db.blocking.repository(User.self).count() == 25)
    }
}

private struct Enough: Error {}
