import Driftless
import Foundation
import Testing

/// Drift behaviour every backend must show. Each check takes a fresh, empty database.
enum DriftConformance {
    /// Creates `members` with only the present columns and fills it with `rows`.
    static func createMembers<D: TestDatabase>(in db: D, missing: Set<String>, rows: [Member]) throws {
        let types: [String: ColumnType] = ["name": .text, "age": .integer, "email": .text, "score": .real, "active": .boolean]
        let columns = ["\"id\" \(db.sqlType(.integer)) PRIMARY KEY"] + Member.nonKeyColumns
            .filter { !missing.contains($0) }
            .map { "\"\($0)\" \(db.sqlType(types[$0]!))" + ($0 == "email" ? "" : " NOT NULL") }
        try db.executeRaw("CREATE TABLE members (\(columns.joined(separator: ", ")))")
        for row in rows {
            let present = ["id"] + Member.nonKeyColumns.filter { !missing.contains($0) }
            let values: [String] = present.map { column in
                switch column {
                case "id": "\(row.id)"
                case "name": "'\(row.name)'"
                case "age": "\(row.age)"
                case "email": row.email.map { "'\($0)'" } ?? "NULL"
                case "score": "\(row.score)"
                default: row.active ? "TRUE" : "FALSE"
                }
            }
            try db.executeRaw("INSERT INTO members (\(present.map { "\"\($0)\"" }.joined(separator: ", "))) VALUES (\(values.joined(separator: ", ")))")
        }
    }

    /// Reads, filters, orders, counts and writes with these columns missing.
    static func matrixCase<D: TestDatabase>(in db: D, missing: Set<String>) throws {
        let rows = (1...6).map(Member.sample)
        try createMembers(in: db, missing: missing, rows: rows)
        let members = db.blocking.repository(Member.self)
        let expected = rows.map { $0.reading(withMissing: missing) }

        // Reads: every declared column, missing ones as defaults.
        #expect(try members.fetchAll(Member.order(.ascending(\.id))) == expected)
        #expect(try members.find(Int64(3)) == expected[2])
        let expectedMode: PlanMode = missing.isEmpty ? .full
            : .projected(missing: Member.nonKeyColumns.filter(missing.contains))
        #expect(try members.planMode() == expectedMode)

        // Filters: a missing column compares its default, as if every row held it.
        let probe = rows[0]
        func expectCount(_ predicate: Condition<Member>, _ matches: (Member) -> Bool, _ label: String) throws {
            #expect(try members.count(Member.filter(predicate)) == expected.filter(matches).count, "\(label), missing \(missing.sorted())")
        }
        try expectCount(\.name == probe.name, { $0.name == probe.name }, "name ==")
        try expectCount(\.age > 22, { $0.age > 22 }, "age >")
        try expectCount(\.email == nil, { $0.email == nil }, "email IS NULL")
        try expectCount(\.score <= 4.5, { $0.score <= 4.5 }, "score <=")
        try expectCount(\.active == true, { $0.active }, "active ==")
        try expectCount(.in(\.age, [21, 23, 0]), { [21, 23, 0].contains($0.age) }, "age IN")
        try expectCount(.like(\.name, "member%"), { $0.name.hasPrefix("member") }, "name LIKE")
        try expectCount(\.age >= 0 && !(\.name == "anonymous"), { $0.age >= 0 && $0.name != "anonymous" }, "and/not")
        #expect(try members.exists(Member.filter(\.name == "anonymous")) == missing.contains("name"))

        // Ordering by a missing column orders nothing; by a present one, as usual.
        let byAgeDescending = try members.fetchAll(Member.order(.descending(\.age), .ascending(\.id)))
        #expect(byAgeDescending.map(\.id) == (missing.contains("age") ? [1, 2, 3, 4, 5, 6] : [6, 5, 4, 3, 2, 1]))

        // Writes: a record holding defaults for the missing columns round-trips exactly.
        let written = Member.sample(7).reading(withMissing: missing)
        try members.insert(written)
        #expect(try members.find(Int64(7)) == written)
        // A record with other values loses only those the table cannot hold (policy: warn).
        let full = Member.sample(8)
        try members.insert(full)
        #expect(try members.find(Int64(8)) == full.reading(withMissing: missing))
        var changed = full
        changed.age = 99
        changed.name = "renamed"
        try members.update(changed)
        #expect(try members.find(Int64(8)) == changed.reading(withMissing: missing))
        try members.upsert(Member.sample(9))
        #expect(try members.find(Int64(9)) == Member.sample(9).reading(withMissing: missing))
        #expect(try members.delete(changed))
        #expect(try members.count() == 8)
    }

    /// After the first detection, the projected plan runs with no failing attempt and no
    /// new preparation.
    static func steadyStateMakesNoFailingAttempt<D: TestDatabase>(in db: D) throws {
        try createMembers(in: db, missing: ["email", "score"], rows: (1...3).map(Member.sample))
        let members = db.blocking.repository(Member.self)
        _ = try members.find(Int64(1))
        let stats = db.driftContext.statistics
        #expect(stats.driftErrorsRecovered == 1)
        let prepared = stats.statementsPrepared
        for round in 0..<50 {
            _ = try members.find(Int64(round % 3 + 1))
        }
        #expect(stats.driftErrorsRecovered == 1)
        #expect(stats.statementsPrepared == prepared)
    }

    /// Full plans never check for catch-up; drifted ones do, at most once per interval.
    static func onlyDriftedPlansCheckCatchUp<D: TestDatabase>(in db: D) throws {
        try createMembers(in: db, missing: [], rows: (1...3).map(Member.sample))
        let members = db.blocking.repository(Member.self)
        for _ in 0..<20 { _ = try members.find(Int64(2)) }
        #expect(db.driftContext.statistics.catchUpChecksRun == 0)
    }

    /// A column added by someone else while plans are projected is picked up within the
    /// catch-up interval, and the new column's values are read.
    static func catchUp<D: TestDatabase>(in db: D, other: some TestDatabase) throws {
        try db.executeRaw(User.oldTableSQL.replacingOccurrences(of: "INTEGER", with: db.sqlType(.integer)))
        try db.executeRaw("INSERT INTO users (id, name) VALUES (1, 'Ada')")
        let users = db.blocking.repository(User.self)
        #expect(try users.find(Int64(1))?.plan == "free")
        #expect(try users.planMode() == .projected(missing: ["plan"]))

        try other.executeRaw("ALTER TABLE users ADD COLUMN plan TEXT NOT NULL DEFAULT 'pro'")
        let deadline = Date().addingTimeInterval(5)
        var plan = try users.find(Int64(1))?.plan
        while plan != "pro" && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
            plan = try users.find(Int64(1))?.plan
        }
        #expect(plan == "pro")
        #expect(try users.planMode() == .full)
    }

    /// A table the database does not have: reads answer empty, writes throw, opt-in creation.
    static func missingTable<D: TestDatabase>(in db: D) throws {
        let users = db.blocking.repository(User.self)
        #expect(try users.fetchAll().isEmpty)
        #expect(try users.find(Int64(1)) == nil)
        #expect(try users.count() == 0)
        #expect(try !users.exists())
        #expect(try users.planMode() == .tableMissing)
        #expect(throws: DriftlessError.missingTable(User.schema.table)) {
            try users.insert(User(id: 1, name: "Ada", email: nil, plan: "pro"))
        }
        #expect(try users.deleteAll() == 0)
    }

    static func writePolicies<D: TestDatabase>(in db: D) throws {
        try db.executeRaw(User.oldTableSQL)
        let strict = db.blocking.repository(StrictUser.self)
        #expect(throws: DriftlessError.valueRejected(table: TableName("users"), column: "plan", key: "id=1", value: "pro")) {
            try strict.insert(StrictUser(id: 1, name: "Ada", plan: "pro"))
        }
        #expect(try strict.count() == 0, "a rejected write writes nothing")
        // A batch with one rejected value writes none of its rows.
        #expect(throws: DriftlessError.self) {
            try strict.insert(contentsOf: [StrictUser(id: 2, name: "B", plan: "free"), StrictUser(id: 3, name: "C", plan: "pro")])
        }
        #expect(try strict.count() == 0)
        // The default itself loses nothing and is accepted under every policy.
        try strict.insert(StrictUser(id: 4, name: "D", plan: "free"))
        try db.blocking.repository(QuietUser.self).insert(QuietUser(id: 5, name: "E", plan: "enterprise"))
        #expect(try db.blocking.repository(User.self).fetchAll().map(\.plan) == ["free", "free"])
    }

    static func unknownRequiredColumn<D: TestDatabase>(in db: D) throws {
        try db.executeRaw("CREATE TABLE users (id \(db.sqlType(.integer)) PRIMARY KEY, name TEXT NOT NULL, email TEXT, plan TEXT NOT NULL, tenant TEXT NOT NULL)")
        let users = db.blocking.repository(User.self)
        #expect(throws: DriftlessError.unknownRequiredColumn(table: TableName("users"), column: "tenant")) {
            try users.insert(User(id: 1, name: "Ada", email: nil, plan: "pro"))
        }
        // Once reflected, the plan itself knows and fails before running anything.
        #expect(throws: DriftlessError.unknownRequiredColumn(table: TableName("users"), column: "tenant")) {
            try users.insert(User(id: 2, name: "Bob", email: nil, plan: "pro"))
        }
    }
}
