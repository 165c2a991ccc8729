import Driftless
import DriftlessPostgres
import Foundation
import Testing

/// Drift as only PostgreSQL shows it: LISTEN/NOTIFY catch-up, and drift inside transactions,
/// which PostgreSQL aborts on any error. The conformance suites (``ConformanceCase``) cover
/// reads, filters, writes, policies, catch-up by fingerprint and missing tables.
@Suite(.enabled(if: TestPostgres.isEnabled, TestPostgres.skipReason)) struct PostgresDriftTests {
    @Test func catchesUpAtOnceOnNotify() throws {
        let fixture = try PostgresFixture(drift: DriftConfiguration(catchUpInterval: .seconds(3600), logger: LogCapture.silentLogger))
        let db = fixture.database
        try db.blocking.execute(User.createTableWithoutPlanPostgres)
        let users = db.blocking.repository(User.self)
        try users.insert(User(id: 1, name: "Ada", email: nil, plan: "free"))
        #expect(try users.planMode() == .projected(missing: ["plan"]))
        Thread.sleep(forTimeInterval: 0.3)  // let the listener connect
        try fixture.openAnother().blocking.execute("""
            ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT 'pro';
            NOTIFY \(PostgresConfiguration.defaultSchemaChangeChannel)
            """)
        let deadline = ContinuousClock.now + .seconds(5)
        var plan = try users.find(1)?.plan
        while plan != "pro", ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.02)
            plan = try users.find(1)?.plan
        }
        #expect(plan == "pro")
        #expect(try users.planMode() == .full)
    }

    @Test func columnDroppedByAnotherSessionMidTransaction() throws {
        try columnDroppedMidTransaction(unnamedStatements: false)
    }

    @Test func columnDroppedMidTransactionWithUnnamedStatements() throws {
        try columnDroppedMidTransaction(unnamedStatements: true)
    }

    private func columnDroppedMidTransaction(unnamedStatements: Bool) throws {
        let fixture = try PostgresFixture(maximumConnectionCount: 1, usesUnnamedStatements: unnamedStatements)
        let db = fixture.database
        let other = try fixture.openAnother()
        try db.blocking.execute(User.createFullTablePostgres + "; " + EventRow.createTable)
        let users = db.blocking.repository(User.self)
        try users.insert(User(id: 1, name: "Ada", email: nil, plan: "pro"))
        // Warm up: the full plans are prepared on the connection before the transaction.
        #expect(try users.find(1)?.plan == "pro")
        try db.blocking.transaction { tx in
            try tx.repository(EventRow.self).insert(EventRow(id: 1, note: "before the drop"))
            // Our transaction has not touched `users`, so another session can alter it now.
            try other.blocking.execute("ALTER TABLE users DROP COLUMN plan")
            let users = tx.repository(User.self)
            #expect(try users.find(1) == User(id: 1, name: "Ada", email: nil, plan: "free"))
            try users.insert(User(id: 2, name: "Bob", email: nil, plan: "free"))
            #expect(try users.count() == 2)
            try tx.repository(EventRow.self).insert(EventRow(id: 2, note: "after the drop"))
        }
        #expect(try db.blocking.repository(EventRow.self).count() == 2)
        #expect(try db.blocking.repository(User.self).fetchAll().map(\.name) == ["Ada", "Bob"])
        #expect(try users.planMode() == .projected(missing: ["plan"]))
    }

    @Test func columnMissingOnFirstUseInsideATransaction() throws {
        let db = try PostgresFixture().database
        try db.blocking.execute(User.createTableWithoutPlanPostgres)
        try db.blocking.transaction { tx in
            let users = tx.repository(User.self)
            try users.insert(User(id: 1, name: "Ada", email: nil, plan: "free"))
            #expect(try users.find(1) == User(id: 1, name: "Ada", email: nil, plan: "free"))
            #expect(try users.fetchAll(User.filter(\.plan == "free")).count == 1)
        }
        #expect(try db.blocking.repository(User.self).count() == 1)
    }

    @Test func ownDDLInsideATransactionDoesNotAbortIt() throws {
        let db = try PostgresFixture().database
        try db.blocking.execute(User.createFullTablePostgres)
        let users = db.blocking.repository(User.self)
        try users.insert(User(id: 1, name: "Ada", email: nil, plan: "pro"))
        try db.blocking.transaction { tx in
            let users = tx.repository(User.self)
            #expect(try users.find(1)?.plan == "pro")
            try tx.execute("ALTER TABLE users DROP COLUMN plan")
            #expect(try users.find(1)?.plan == "free")
        }
        #expect(try users.find(1) == User(id: 1, name: "Ada", email: nil, plan: "free"))
    }
}
