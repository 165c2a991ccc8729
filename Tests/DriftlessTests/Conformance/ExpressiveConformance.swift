import Driftless
import Foundation
import Testing

/// Issue 10's constructs (partial updates, aggregates, grouping, projections, single-key
/// delete) over the drift matrix, against an in-memory model of the table: the rows as the
/// database holds them, with every missing column replaced by its default. Rows are generated
/// from a seed (`DRIFTLESS_PROPERTY_SEED` replays a run).
enum ExpressiveConformance {
    /// Generated members: names and emails from a small NFC alphabet (so several rows share
    /// a value, and byte order is Swift's order), scores exact in binary (sums are exact).
    static func generatedMembers(count: Int, random: inout PropertyRandom) -> [Member] {
        let letters = ["a", "b", "Z", "é", "ß", "日", "😀"]
        func word() -> String { (0..<Int.random(in: 1...2, using: &random)).map { _ in letters.randomElement(using: &random)! }.joined() }
        return (1...count).map { id in
            Member(id: Int64(id), name: word(), age: Int.random(in: -3...40, using: &random),
                   email: Bool.random(using: &random) ? nil : word() + "@x",
                   score: Double(Int.random(in: -40...40, using: &random)) / 4,
                   active: Bool.random(using: &random))
        }
    }

    static func createTable<D: TestDatabase>(in db: D, missing: Set<String>) throws {
        try DriftConformance.createMembers(in: db, missing: missing, rows: [])
    }

    /// Every construct over one subset of missing columns, on a table of generated rows and
    /// on an empty one.
    static func matrixCase<D: TestDatabase>(in db: D, missing: Set<String>) async throws {
        let model = try blockingMatrixCase(in: db, missing: missing)
        try await asyncForms(in: db, model: model)
    }

    static func blockingMatrixCase<D: TestDatabase>(in db: D, missing: Set<String>) throws -> [Member] {
        var random = PropertyRandom.forSuite("expressive \(missing.sorted())")
        try createTable(in: db, missing: missing)
        let members = db.blocking.repository(Member.self)
        let context = "missing \(missing.sorted()), seed \(PropertyRandom.runSeed)"

        // Empty table: aggregates of nothing, no distinct values, no groups.
        #expect(try members.aggregate(Member.count()) == 0, "\(context)")
        #expect(try members.aggregate(Member.max(\.name)) == nil, "\(context)")
        #expect(try members.aggregate(Member.sum(\.age)) == nil, "\(context)")
        #expect(try members.aggregate(Member.average(\.score)) == nil, "\(context)")
        #expect(try members.distinct(\.name).isEmpty, "\(context)")
        #expect(try members.select(Member.column(\.active), Member.count(), from: Member.all().group(by: \.active)).isEmpty,
                "\(context)")

        let generated = generatedMembers(count: Int.random(in: 5...30, using: &random), random: &random)
        try members.insert(contentsOf: generated)
        var model = generated.map { $0.reading(withMissing: missing) }
        #expect(try members.fetchAll(Member.order(.ascending(\.id))) == model, "\(context)")

        try expectAggregates(members, model, context)
        try expectProjections(members, model, context)
        try expectRecordSQL(members, model, context)

        // Update by filter: set, and arithmetic computed in the database.
        let threshold = Int.random(in: 0...30, using: &random)
        let newName = "renamed"
        let bump = Int.random(in: 1...5, using: &random)
        let matched = try members.updateAll(Member.filter(\.age >= threshold), set: \.name <- newName, \.age += bump,
                                            \.score *= 2)
        #expect(matched == model.filter { $0.age >= threshold }.count, "\(context)")
        model = model.map { row in
            guard row.age >= threshold else { return row }
            var row = row
            row.name = newName
            row.age += bump
            row.score *= 2
            return row.reading(withMissing: missing)
        }
        #expect(try members.fetchAll(Member.order(.ascending(\.id))) == model, "updateAll, \(context)")
        #expect(try members.updateAll(Member.filter(\.id == -1), set: \.age -= 1) == 0, "\(context)")

        // Partial update by key: only the listed columns change.
        let target = model[Int.random(in: 0..<model.count, using: &random)]
        var changed = target
        changed.age = 1000
        changed.email = "changed@x"
        changed.name = "not written"
        changed.active.toggle()
        try members.update(changed, columns: \.age, \.email)
        var expected = target
        expected.age = 1000
        expected.email = "changed@x"
        expected = expected.reading(withMissing: missing)
        #expect(try members.find(target.id) == expected, "update(_:columns:), \(context)")
        model[model.firstIndex { $0.id == target.id }!] = expected
        var absent = target
        absent.id = 10_000
        #expect(throws: DriftlessError.recordNotFound(table: TableName("members"), key: "id=10000")) {
            try members.update(absent, columns: \.age)
        }
        #expect(throws: DriftlessError.recordNotFound(table: TableName("members"), key: "id=10000")) {
            try members.update(absent)
        }

        // delete(1) takes a single key, as find(1) does.
        #expect(try members.delete(target.id))
        #expect(try members.delete(target.id) == false)
        model.removeAll { $0.id == target.id }
        #expect(try members.fetchAll(Member.order(.ascending(\.id))) == model, "delete, \(context)")
        return model
    }

    /// The async forms run the same implementation.
    static func asyncForms<D: TestDatabase>(in db: D, model: [Member]) async throws {
        let asyncMembers = db.repository(Member.self)
        #expect(try await asyncMembers.aggregate(Member.count()) == model.count)
        #expect(try await asyncMembers.updateAll(set: \.age += 0) == model.count)
        #expect(try await Set(asyncMembers.distinct(\.active)) == Set(model.map(\.active)))
        let pairs = try await asyncMembers.select(\.id, \.age, from: Member.order(.ascending(\.id)))
        #expect(pairs.map(\.0) == model.map(\.id) && pairs.map(\.1) == model.map(\.age))
        try await asyncMembers.update(model[0], columns: [\.score])
        #expect(try await asyncMembers.delete(model[0].id))
    }

    static func expectAggregates<S>(_ members: BlockingRepository<Member, S>, _ model: [Member], _ context: String) throws {
        #expect(try members.aggregate(Member.count()) == model.count, "\(context)")
        #expect(try members.aggregate(Member.count(\.email)) == model.filter { $0.email != nil }.count, "\(context)")
        #expect(try members.aggregate(Member.min(\.age)) == model.map(\.age).min(), "\(context)")
        #expect(try members.aggregate(Member.max(\.age)) == model.map(\.age).max(), "\(context)")
        #expect(try members.aggregate(Member.max(\.name)) == model.map(\.name).max(), "\(context)")
        #expect(try members.aggregate(Member.min(\.email)) == model.compactMap(\.email).min(), "\(context)")
        #expect(try members.aggregate(Member.sum(\.age)) == model.map(\.age).reduce(0, +), "\(context)")
        #expect(try members.aggregate(Member.sum(\.score)) == model.map(\.score).reduce(0, +), "\(context)")
        #expect(try members.aggregate(Member.max(\.active)) == model.map(\.active).contains(true), "\(context)")
        #expect(try members.aggregate(Member.sum(\.active)) == model.filter(\.active).count, "\(context)")
        let average = try members.aggregate(Member.average(\.age)) ?? .nan
        let expectedAverage = Double(model.map(\.age).reduce(0, +)) / Double(model.count)
        #expect(abs(average - expectedAverage) <= 1e-9 * max(1, abs(expectedAverage)), "\(context)")
        #expect(try members.aggregate(Member.count(distinct: \.name)) == Set(model.map(\.name)).count, "\(context)")
        #expect(try members.aggregate(Member.count(distinct: \.email)) == Set(model.compactMap(\.email)).count, "\(context)")
        #expect(try members.aggregate(Member.count(), in: Member.filter(\.age > 10))
            == model.filter { $0.age > 10 }.count, "\(context)")
    }

    /// SQL written against the record renders missing columns as their defaults, binds values.
    static func expectRecordSQL<S>(_ members: BlockingRepository<Member, S>, _ model: [Member], _ context: String) throws {
        let minimumAge = 5
        let groups = try members.select(literal: """
            SELECT MIN(\(Member.column(\.id))), \(\.name), COUNT(*) FROM \(Member.self)
            WHERE \(\.age) > \(minimumAge) GROUP BY \(\.name) ORDER BY \(\.name)
            """, as: Int64?.self, String.self, Int.self)
        let expected = Dictionary(grouping: model.filter { $0.age > minimumAge }, by: \.name)
            .map { "\($0.value.map(\.id).min()!) \($0.key) \($0.value.count)" }.sorted()
        #expect(groups.map { "\($0.0!) \($0.1) \($0.2)" }.sorted() == expected, "RecordSQL, \(context)")
        let hostile = "x'); DROP TABLE members; --"
        let records = try members.fetchAll(literal: """
            SELECT \(\.id), \(\.name), \(\.score) FROM \(Member.self) WHERE \(\.name) <> \(hostile) AND \(\.active) = \(true) ORDER BY \(\.id)
            """)
        let active = model.filter(\.active)
        #expect(records.map(\.id) == active.map(\.id) && records.map(\.name) == active.map(\.name)
                && records.map(\.score) == active.map(\.score), "RecordSQL records, \(context)")
        #expect(records.allSatisfy { $0.age == 0 && $0.email == nil }, "unselected columns read as defaults")
    }

    static func expectProjections<S>(_ members: BlockingRepository<Member, S>, _ model: [Member], _ context: String) throws {
        // Distinct values.
        #expect(try Set(members.distinct(\.name)) == Set(model.map(\.name)), "\(context)")
        #expect(try members.distinct(\.name).count == Set(model.map(\.name)).count, "\(context)")
        #expect(try Set(members.distinct(\.email)) == Set(model.map(\.email)), "\(context)")
        #expect(try members.distinct(\.age, from: Member.order(.ascending(\.age))).count == Set(model.map(\.age)).count)

        // Column subsets, in order.
        let subset = try members.select(\.id, \.email, \.active, from: Member.order(.ascending(\.id)))
        #expect(subset.map { "\($0.0) \($0.1 ?? "nil") \($0.2)" } == model.map { "\($0.id) \($0.email ?? "nil") \($0.active)" },
                "\(context)")
        let names = try members.select(\.name, from: Member.filter(\.age < 20).order(.ascending(\.id)).limit(3))
        #expect(names == Array(model.filter { $0.age < 20 }.map(\.name).prefix(3)), "\(context)")

        // Grouping by one and by two columns, with aggregates and a having.
        let byActive = try members.select(Member.column(\.active), Member.count(), Member.sum(\.age), Member.max(\.name),
                                          from: Member.all().group(by: \.active))
        let expectedByActive = Dictionary(grouping: model, by: \.active).map { active, rows in
            "\(active) \(rows.count) \(rows.map(\.age).reduce(0, +)) \(rows.map(\.name).max()!)"
        }
        #expect(byActive.map { "\($0.0) \($0.1) \($0.2!) \($0.3!)" }.sorted() == expectedByActive.sorted(), "\(context)")

        let minimum = 2
        let byNameAndActive = try members.select(
            Member.column(\.name), Member.column(\.active), Member.count(), Member.min(\.score),
            from: Member.filter(\.age > -2).group(by: \.name, \.active).having(Member.count() >= minimum))
        let expectedPairs = Dictionary(grouping: model.filter { $0.age > -2 }) { "\($0.name) \($0.active)" }
            .filter { $0.value.count >= minimum }
            .map { key, rows in "\(key) \(rows.count) \(rows.map(\.score).min()!)" }
        #expect(byNameAndActive.map { "\($0.0) \($0.1) \($0.2) \($0.3!)" }.sorted() == expectedPairs.sorted(), "\(context)")

        // Column to column: a missing column is its default on either side.
        #expect(try members.count(Member.filter(Member.column(\.score) < Member.column(\.age)))
            == model.filter { $0.score < Double($0.age) }.count, "\(context)")
    }

    /// Assignments to a missing column follow its write policy: reject throws before
    /// anything is written (the other assignments too), warn and discard drop it, and an
    /// assignment that leaves the default as it is (`+= 0`, `<- default`) is dropped quietly
    /// even under reject. `+= 1` to a missing column changes nothing stored.
    static func partialUpdateWritePolicies<D: TestDatabase>(in db: D) throws {
        try db.executeRaw("CREATE TABLE strict_accounts (\"id\" \(db.sqlType(.integer)) PRIMARY KEY, \"owner\" \(db.sqlType(.text)) NOT NULL)")
        let accounts = db.blocking.repository(StrictAccount.self)
        try accounts.insert(StrictAccount(id: 1, owner: "ann", balance: 0, note: ""))
        try accounts.insert(StrictAccount(id: 2, owner: "bob", balance: 0, note: ""))
        // balance rejects, note warns.
        #expect(throws: DriftlessError.valueRejected(table: TableName("strict_accounts"), column: "balance",
                                                     key: "(every row the filter matches)", value: .integer(1))) {
            try accounts.updateAll(set: \.owner <- "eve", \.balance += 1)
        }
        #expect(try accounts.fetchAll(StrictAccount.order(.ascending(\.id))).map(\.owner) == ["ann", "bob"])
        #expect(try accounts.updateAll(StrictAccount.filter(\.id == 1), set: \.owner <- "eve", \.balance += 0, \.balance <- 0) == 1)
        #expect(try accounts.updateAll(set: \.note <- "dropped", \.owner <- "x") == 2)
        #expect(try accounts.fetchAll().map(\.note) == ["", ""])
        #expect(try accounts.fetchAll().map(\.owner) == ["x", "x"])
        // Only assignments to missing columns: nothing stored changes, the matching rows are counted.
        #expect(try accounts.updateAll(StrictAccount.filter(\.id == 2), set: \.note <- "n") == 1)
        #expect(try accounts.aggregate(StrictAccount.sum(\.balance)) == 0)
        // update(_:columns:) checks only the listed columns.
        var account = try #require(try accounts.find(Int64(1)))
        account.balance = 50
        account.owner = "zed"
        try accounts.update(account, columns: \.owner)
        #expect(try accounts.find(Int64(1))?.owner == "zed")
        #expect(throws: DriftlessError.self) { try accounts.update(account, columns: \.balance) }
    }

    /// New plans are cached like the others: after the first call of each shape, no
    /// preparation, whatever the values.
    static func newPlansAreCached<D: TestDatabase>(in db: D) throws {
        try createTable(in: db, missing: ["name", "score"])
        let members = db.blocking.repository(Member.self)
        try members.insert(contentsOf: (1...6).map(Member.sample))
        func calls(_ round: Int) throws {
            _ = try members.updateAll(Member.filter(\.id == Int64(round % 6 + 1)), set: \.age += round, \.name <- "n\(round)")
            try members.update(Member.sample(Int64(round % 6 + 1)), columns: \.age)
            _ = try members.aggregate(Member.max(\.age), in: Member.filter(\.age > round))
            _ = try members.select(Member.column(\.active), Member.count(),
                                   from: Member.all().group(by: \.active).having(Member.count() > round % 3))
            _ = try members.select(\.id, \.email, from: Member.filter(\.age < round))
            _ = try members.distinct(\.name)
            _ = try members.delete(Int64(1000 + round))
            _ = try members.select(literal: "SELECT \(\.name), COUNT(*) FROM \(Member.self) WHERE \(\.age) > \(round) GROUP BY \(\.name)",
                                   as: String.self, Int.self)
        }
        try calls(0)
        let stats = db.driftContext.statistics
        let prepared = stats.statementsPrepared
        let recovered = stats.driftErrorsRecovered
        for round in 1..<40 { try calls(round) }
        #expect(stats.statementsPrepared == prepared)
        #expect(stats.driftErrorsRecovered == recovered)
    }
}

extension ExpressiveConformance {
    /// `$1`, `$2`... is raw SQL's one placeholder syntax: bound by number on every backend
    /// (SQLite numbers them by first appearance, so `$2` before `$1` used to bind backwards).
    /// A RecordSQL keeps raw SQL's checks.
    static func rawSQLPlaceholders<D: TestDatabase>(in db: D) throws {
        try createTable(in: db, missing: [])
        let members = db.blocking.repository(Member.self)
        try members.insert(contentsOf: (1...6).map(Member.sample))
        let found = try members.fetchAll(sql: "SELECT * FROM members WHERE \"id\" = $2 AND \"age\" = $1",
                                         arguments: [.integer(23), .integer(3)])
        #expect(found.map(\.id) == [3])
        let twice = try members.fetchAll(sql: "SELECT * FROM members WHERE \"id\" = $1 OR \"age\" = $1 + 20",
                                         arguments: [.integer(2)])
        #expect(twice.map(\.id) == [2])
        #expect(throws: DriftlessError.self) {
            try members.fetchAll(sql: "SELECT * FROM members WHERE \"id\" = $1 AND \"age\" = $2", arguments: [.integer(1)])
        }
        #expect(throws: DriftlessError.self) {
            try members.fetchAll(literal: "SELECT \(\.id) FROM \(Member.self); DELETE FROM \(Member.self)")
        }
        #expect(try members.count() == 6)
    }
}

/// A record whose missing `balance` rejects values and whose missing `note` warns.
struct StrictAccount: Record, Codable, Equatable {
    var id: Int64
    var owner: String
    var balance: Int
    var note: String

    static let schema = RecordSchema<StrictAccount>(table: "strict_accounts") {
        Column("id", \.id, primaryKey: true)
        Column("owner", \.owner, default: "")
        Column("balance", \.balance, default: 0, onMissingWrite: .reject)
        Column("note", \.note, default: "", onMissingWrite: .discard)
    }
}
