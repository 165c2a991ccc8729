import Driftless
import DriftlessPostgres
import Foundation
import Testing

/// How PostgreSQL cursors stream (single-row mode outside transactions, FETCH batches
/// inside): failures mid-stream, a lost connection, drift, and the connection's reuse. The
/// conformance suites cover bounded memory, early exit and nested statements.
@Suite(.enabled(if: TestPostgres.isEnabled, TestPostgres.skipReason)) struct PostgresCursorTests {
    /// `members` as a view whose 1,500th row fails (division by zero) on the server.
    private static let failingView = """
        CREATE VIEW members AS
        SELECT i::bigint AS id, 'member ' || i AS name, (100 / (1500 - i))::bigint AS age,
               NULL::text AS email, 1.5::float8 AS score, true AS active
        FROM generate_series(1, 3000) AS i
        """

    private func backendPID(_ db: PostgresDatabase) throws -> Int64 {
        try db.read { connection in
            let statement = try connection.prepare("SELECT pg_backend_pid()")
            defer { statement.reset() }
            _ = try statement.step()
            guard case .integer(let pid) = statement.value(at: 0) else { return 0 }
            return pid
        }
    }

    @Test(arguments: [false, true])
    func aServerErrorMidStreamIsThrownOnceAndTheConnectionIsReused(inTransaction: Bool) throws {
        let db = try PostgresFixture(maximumConnectionCount: 1).database
        try db.blocking.execute(Self.failingView)
        let pid = try backendPID(db)
        var seen: [Int64] = []
        // No ORDER BY: a sort would meet the failing row before returning any.
        let error = #expect(throws: DatabaseError.self) {
            if inTransaction {
                try db.blocking.transaction { tx in try tx.repository(Member.self).forEach { seen.append($0.id) } }
            } else {
                try db.blocking.repository(Member.self).forEach { seen.append($0.id) }
            }
        }
        #expect(error?.sqlState == "22012")
        #expect(error?.afterRowsWereDelivered == true)
        // Every row before the failing one, once: no retry after rows were delivered.
        #expect(seen.count >= 1 && seen.count < 1500)
        #expect(seen == Array(1...Int64(max(1, seen.count))))
        if inTransaction { #expect(seen.count == 1000, "the first FETCH batch") }
        #expect(try db.blocking.repository(Member.self).count(Member.filter(\.id < 10)) == 9)
        #expect(try backendPID(db) == pid)
    }

    @Test func aConnectionLostMidStreamIsReportedNotRetried() throws {
        let fixture = try PostgresFixture(maximumConnectionCount: 1)
        let db = fixture.database
        try CursorConformance.createLargeMembers(in: db, count: 50_000)
        let pid = try backendPID(db)
        let other = try fixture.openAnother()
        var seen = 0
        let error = #expect(throws: DatabaseError.self) {
            try db.blocking.repository(Member.self).forEach { _ in
                seen += 1
                if seen == 10 { try other.blocking.execute("SELECT pg_terminate_backend(\(pid))") }
            }
        }
        #expect(error?.kind == .connectionLost)
        #expect(error?.afterRowsWereDelivered == true)
        #expect(seen >= 10 && seen < 50_000)
        // The pool replaces the connection.
        #expect(try db.blocking.repository(Member.self).count() == 50_000)
        #expect(try backendPID(db) != pid)
    }

    @Test(arguments: [false, true])
    func anAbandonedCursorLeavesTheSameConnectionUsable(unnamedStatements: Bool) throws {
        let db = try PostgresFixture(maximumConnectionCount: 1, usesUnnamedStatements: unnamedStatements).database
        try CursorConformance.createLargeMembers(in: db, count: 50_000)
        let pid = try backendPID(db)
        let members = db.blocking.repository(Member.self)
        struct Stop: Error {}
        for round in 0..<5 {
            var seen = 0
            #expect(throws: Stop.self) {
                // Early (the rest is cancelled) and late (the rest is read and dropped).
                try members.forEach { _ in
                    seen += 1
                    if seen == (round.isMultiple(of: 2) ? 3 : 49_500) { throw Stop() }
                }
            }
            #expect(try members.count() == 50_000)
            #expect(try members.find(Int64(round + 1))?.name == "member \(round + 1)")
        }
        #expect(try backendPID(db) == pid)
    }

    @Test(arguments: [false, true])
    func aCursorRecoversFromDriftBeforeItsFirstRow(inTransaction: Bool) throws {
        let fixture = try PostgresFixture()
        let db = fixture.database
        try CursorConformance.createLargeMembers(in: db, count: 3_000)
        let members = db.blocking.repository(Member.self)
        var count = 0
        try members.forEach { _ in count += 1 }  // prepares the full plan
        #expect(count == 3_000)
        try fixture.openAnother().blocking.execute("ALTER TABLE members DROP COLUMN score")
        var scores = Set<Double>()
        let scan = { try members.forEach { scores.insert($0.score) } }
        if inTransaction {
            try db.blocking.transaction { tx in
                try tx.repository(Member.self).forEach { scores.insert($0.score) }
                #expect(try tx.repository(Member.self).count() == 3_000)
            }
        } else {
            try scan()
        }
        #expect(scores == [1.5])
        #expect(try members.planMode() == .projected(missing: ["score"]))
    }
}
