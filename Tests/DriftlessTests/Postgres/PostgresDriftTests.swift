import Driftless
import DriftlessPostgres
import Foundation
import Testing

/// Drift as only PostgreSQL shows it: LISTEN/NOTIFY catch-up, and drift inside transactions,
/// which PostgreSQL aborts on any error (the conformance suites cover the rest).
@Suite(.enabled(if: TestPostgres.isEnabled)) struct PostgresDriftTests {
    @Test func missingColumnsReadAsTheirDefaults() throws {
        let db = try PostgresFixture().database
        try db.execute(User.createTableWithoutPlanPostgres)
        try db.execute("INSERT INTO users (id, name) VALUES (1, 'Ada'), (2, 'Bob')")
        let users = db.repository(User.self)
        #expect(try users.find(1) == User(id: 1, name: "Ada", email: nil, plan: "free"))
        #expect(try users.planMode() == .projected(missing: ["plan"]))
        // A missing column is a column whose every value is its default.
        #expect(try users.count(User.filter(\.plan == "free")) == 2)
        #expect(try users.count(User.filter(\.plan == "pro")) == 0)
        #expect(try users.fetchAll(User.filter(\.plan == "free").order(.descending(\.plan), .ascending(\.id))).map(\.id) == [1, 2])
        #expect(try users.exists(User.filter(.isNull(\.plan))) == false)
        #expect(try users.fetchAll(sql: "SELECT * FROM users ORDER BY id").map(\.plan) == ["free", "free"])
    }

    @Test func writesFollowTheirPolicy() throws {
        let db = try PostgresFixture().database
        try db.execute(User.createTableWithoutPlanPostgres)
        // .warn (the default): the row is written without the value.
        try db.repository(User.self).insert(User(id: 1, name: "Ada", email: nil, plan: "pro"))
        #expect(try db.repository(User.self).find(1) == User(id: 1, name: "Ada", email: nil, plan: "free"))
        // .reject: nothing is written.
        let strict = db.repository(StrictUser.self)
        let error = #expect(throws: DriftlessError.self) { try strict.insert(StrictUser(id: 2, name: "Bob", plan: "pro")) }
        #expect(error == .valueRejected(table: TableName("users"), column: "plan", key: "id=2", value: "pro"))
        #expect(try strict.find(2) == nil)
        try strict.insert(StrictUser(id: 3, name: "Cy", plan: "free"))
        #expect(try strict.find(3)?.name == "Cy")
        // .discard: written without a word.
        try db.repository(QuietUser.self).insert(QuietUser(id: 4, name: "Di", plan: "team"))
        try db.repository(QuietUser.self).update(QuietUser(id: 4, name: "Dee", plan: "team"))
        #expect(try db.repository(QuietUser.self).find(4) == QuietUser(id: 4, name: "Dee", plan: "free"))
    }

    @Test func unknownRequiredColumnIsNamed() throws {
        let db = try PostgresFixture().database
        try db.execute("CREATE TABLE events (id bigint PRIMARY KEY, note text NOT NULL, region text NOT NULL)")
        let error = #expect(throws: DriftlessError.self) { try db.repository(EventRow.self).insert(EventRow(id: 1, note: "x")) }
        #expect(error == .unknownRequiredColumn(table: TableName("events"), column: "region"))
    }

    @Test func missingTableReadsEmptyAndRejectsWrites() throws {
        let fixture = try PostgresFixture()
        let users = fixture.database.repository(User.self)
        #expect(try users.find(1) == nil)
        #expect(try users.fetchAll().isEmpty)
        #expect(try users.count() == 0)
        #expect(try users.planMode() == .tableMissing)
        #expect(throws: DriftlessError.missingTable(TableName("users"))) {
            try users.insert(User(id: 1, name: "Ada", email: nil, plan: "free"))
        }
        // The migration lands: the table is found again after catch-up or invalidation.
        try fixture.openAnother().execute(User.createFullTablePostgres)
        fixture.database.invalidateSchema()
        try users.insert(User(id: 1, name: "Ada", email: nil, plan: "pro"))
        #expect(try users.find(1)?.plan == "pro")
    }

    @Test func catchesUpWhenAnotherSessionAddsTheColumn() throws {
        let fixture = try PostgresFixture(drift: DriftConfiguration(catchUpInterval: .milliseconds(100), logger: LogCapture.silentLogger))
        let db = fixture.database
        try db.execute(User.createTableWithoutPlanPostgres)
        let users = db.repository(User.self)
        try users.insert(User(id: 1, name: "Ada", email: nil, plan: "free"))
        #expect(try users.find(1)?.plan == "free")
        #expect(try users.planMode() == .projected(missing: ["plan"]))
        // The migrator, in another session.
        let other = try fixture.openAnother()
        try other.execute("ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT 'free'")
        try other.execute("UPDATE users SET plan = 'pro' WHERE id = 1")
        let deadline = ContinuousClock.now + .seconds(5)
        var plan = try users.find(1)?.plan
        while plan != "pro", ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.02)
            plan = try users.find(1)?.plan
        }
        #expect(plan == "pro")
        #expect(try users.planMode() == .full)
        try users.insert(User(id: 2, name: "Bob", email: nil, plan: "team"))
        #expect(try other.repository(User.self).find(2)?.plan == "team")
    }

    @Test func catchesUpAtOnceOnNotify() throws {
        let fixture = try PostgresFixture(drift: DriftConfiguration(catchUpInterval: .seconds(3600), logger: LogCapture.silentLogger))
        let db = fixture.database
        try db.execute(User.createTableWithoutPlanPostgres)
        let users = db.repository(User.self)
        try users.insert(User(id: 1, name: "Ada", email: nil, plan: "free"))
        #expect(try users.planMode() == .projected(missing: ["plan"]))
        Thread.sleep(forTimeInterval: 0.3)  // let the listener connect
        try fixture.openAnother().execute("""
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
        try db.execute(User.createFullTablePostgres + "; " + EventRow.createTable)
        let users = db.repository(User.self)
        try users.insert(User(id: 1, name: "Ada", email: nil, plan: "pro"))
        // Warm up: the full plans are prepared on the connection before the transaction.
        #expect(try users.find(1)?.plan == "pro")
        try db.transaction { tx in
            try tx.repository(EventRow.self).insert(EventRow(id: 1, note: "before the drop"))
            // Our transaction has not touched `users`, so another session can alter it now.
            try other.execute("ALTER TABLE users DROP COLUMN plan")
            let users = tx.repository(User.self)
            #expect(try users.find(1) == User(id: 1, name: "Ada", email: nil, plan: "free"))
            try users.insert(User(id: 2, name: "Bob", email: nil, plan: "free"))
            #expect(try users.count() == 2)
            try tx.repository(EventRow.self).insert(EventRow(id: 2, note: "after the drop"))
        }
        #expect(try db.repository(EventRow.self).count() == 2)
        #expect(try db.repository(User.self).fetchAll().map(\.name) == ["Ada", "Bob"])
        #expect(try users.planMode() == .projected(missing: ["plan"]))
    }

    @Test func columnMissingOnFirstUseInsideATransaction() throws {
        let db = try PostgresFixture().database
        try db.execute(User.createTableWithoutPlanPostgres)
        try db.transaction { tx in
            let users = tx.repository(User.self)
            try users.insert(User(id: 1, name: "Ada", email: nil, plan: "free"))
            #expect(try users.find(1) == User(id: 1, name: "Ada", email: nil, plan: "free"))
            #expect(try users.fetchAll(User.filter(\.plan == "free")).count == 1)
        }
        #expect(try db.repository(User.self).count() == 1)
    }

    @Test func ownDDLInsideATransactionDoesNotAbortIt() throws {
        let db = try PostgresFixture().database
        try db.execute(User.createFullTablePostgres)
        let users = db.repository(User.self)
        try users.insert(User(id: 1, name: "Ada", email: nil, plan: "pro"))
        try db.transaction { tx in
            let users = tx.repository(User.self)
            #expect(try users.find(1)?.plan == "pro")
            try tx.execute("ALTER TABLE users DROP COLUMN plan")
            #expect(try users.find(1)?.plan == "free")
        }
        #expect(try users.find(1) == User(id: 1, name: "Ada", email: nil, plan: "free"))
    }
}
