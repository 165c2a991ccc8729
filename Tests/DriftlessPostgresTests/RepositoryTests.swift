import Driftless
import DriftlessPostgres
import Foundation
import Testing

@Suite(.enabled(if: TestPostgres.isEnabled)) struct RepositoryTests {
    @Test func crudThroughTheRepository() throws {
        let test = try TestPostgres.database()
        let db = test.database
        try db.execute(User.createFullTable)
        let users = db.repository(User.self)
        try users.insert(User(id: 1, name: "Ada", plan: "pro", score: 1.5))
        try users.insert(contentsOf: [User(id: 2, name: "Bob"), User(id: 3, name: "Cy", score: 3)])
        #expect(try users.find(1) == User(id: 1, name: "Ada", plan: "pro", score: 1.5))
        #expect(try users.find(99) == nil)
        #expect(try users.count() == 3)
        #expect(try users.fetchAll(User.filter(\.plan == "free").order(.ascending(\.name))).map(\.id) == [2, 3])
        #expect(try users.exists(User.filter(\.score > 2.5)))
        try users.update(User(id: 2, name: "Bob", plan: "team"))
        #expect(try users.find(2)?.plan == "team")
        try users.upsert(User(id: 3, name: "Cyd"))
        try users.upsert(User(id: 4, name: "Di"))
        #expect(try users.find(3)?.name == "Cyd")
        #expect(try users.insertAndFetch(User(id: 5, name: "Ed")).plan == "free")
        #expect(try users.delete(key: [.integer(5)]))
        #expect(try users.delete(key: [.integer(5)]) == false)
        #expect(try users.deleteAll(User.filter(\.id >= 4)) == 1)
        #expect(throws: DriftlessError.self) { try users.update(User(id: 42, name: "Nobody")) }
        #expect(try users.fetchAll(sql: "SELECT id, name FROM users WHERE id = $1", arguments: [1]).first?.plan == "free")
    }

    @Test func asyncAPIAndConcurrentUse() async throws {
        let test = try TestPostgres.database()
        let db = test.database
        try await db.write { try $0.execute(User.createFullTable) }
        let users = db.repository(User.self)
        try await users.insert(User(id: 1, name: "Ada"))
        #expect(try await users.find(1)?.name == "Ada")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for id in 10..<30 { group.addTask { try await users.insert(User(id: Int64(id), name: "u\(id)")) } }
            try await group.waitForAll()
        }
        #expect(try await users.count() == 21)
        let names = try await db.transaction { tx in try tx.repository(User.self).fetchAll().map(\.name) }
        #expect(names.count == 21)
    }

    @Test func transactionsCommitRollBackAndNest() throws {
        let test = try TestPostgres.database()
        let db = test.database
        try db.execute(User.createFullTable)
        try db.transaction { tx in
            let users = tx.repository(User.self)
            try users.insert(User(id: 1, name: "Ada"))
            struct Cancel: Error {}
            _ = try? tx.savepoint {
                try users.insert(User(id: 2, name: "Rolled back"))
                throw Cancel()
            }
            try users.insert(User(id: 3, name: "Cy"))
        }
        #expect(try db.repository(User.self).fetchAll().map(\.id) == [1, 3])
        struct Failure: Error {}
        #expect(throws: Failure.self) {
            try db.transaction { tx in
                try tx.repository(User.self).insert(User(id: 4, name: "Gone"))
                throw Failure()
            }
        }
        #expect(try db.repository(User.self).count() == 2)
        // A transaction whose body swallowed an error is not committed silently.
        let error = #expect(throws: DatabaseError.self) {
            try db.transaction { tx in
                let users = tx.repository(User.self)
                try users.insert(User(id: 5, name: "Lost"))
                _ = try? users.insert(User(id: 1, name: "Duplicate"))
            }
        }
        #expect(error?.kind == .transactionAborted)
        #expect(try db.repository(User.self).find(5) == nil)
    }

    @Test func typesRoundTrip() throws {
        let test = try TestPostgres.database()
        let db = test.database
        try db.execute(Sample.createTable)
        let samples = db.repository(Sample.self)
        let sample = Sample(
            id: .max, small: -32768, count: .max, ratio: 0.1 + 0.2, flag: true, label: "héllo 'quoted' \\ \"x\"",
            bytes: [0, 1, 0xFE, 0xFF], at: Date(timeIntervalSince1970: 1_700_000_000.5),
            uid: UUID(), maybe: nil, amount: "12345678901234567890.000000000000000001", doc: "{\"a\": [1, 2]}")
        try samples.insert(sample)
        let read = try #require(try samples.find(Int64.max))
        #expect(read == sample)
        let other = Sample(id: .min, small: 1, count: -1, ratio: -.infinity, flag: false, label: "",
                           bytes: [], at: Date(timeIntervalSince1970: 0), uid: UUID(), maybe: "x",
                           amount: "-0.5", doc: "[]")
        try samples.insert(other)
        #expect(try samples.find(Int64.min) == other)
        #expect(try samples.fetchAll(Sample.filter(\.flag == true)).map(\.id) == [.max])
        #expect(try samples.fetchAll(Sample.filter(\.bytes == [0, 1, 0xFE, 0xFF])).map(\.id) == [.max])
        #expect(try samples.count(Sample.filter(\.uid == sample.uid)) == 1)
    }

    @Test func reservedWordsAndSchemaQualifiedTables() throws {
        let test = try TestPostgres.database()
        let db = test.database
        try db.execute("""
            CREATE SCHEMA IF NOT EXISTS driftless_qualified;
            DROP TABLE IF EXISTS driftless_qualified."user";
            CREATE TABLE driftless_qualified."user" (id bigint PRIMARY KEY)
            """)
        let users = db.repository(ReservedUser.self)
        try users.insert(ReservedUser(id: 1, order: "none"))
        #expect(try users.find(1) == ReservedUser(id: 1, order: "none"))
        #expect(try users.planMode() == .projected(missing: ["order"]))
        try db.execute("ALTER TABLE driftless_qualified.\"user\" ADD COLUMN \"order\" text NOT NULL DEFAULT 'none'")
        db.invalidateSchema()
        try users.update(ReservedUser(id: 1, order: "first"))
        #expect(try users.find(1)?.order == "first")
        #expect(try users.planMode() == .full)
        // search_path resolution: the test's own schema, not another one's table of the same name.
        try test.other.execute("CREATE TABLE driftless_qualified.users (id bigint PRIMARY KEY)")
        defer { try? test.other.execute("DROP TABLE driftless_qualified.users") }
        try db.execute(User.createTableWithoutPlan)
        #expect(try db.repository(User.self).planMode() == .projected(missing: ["plan", "score"]))
    }

    @Test func createsMissingTablesFromTheDeclaration() throws {
        let test = try TestPostgres.database(createMissingTables: true)
        let samples = test.database.repository(Sample.self)
        let sample = Sample(id: 1, small: 2, count: 3, ratio: 4.5, flag: true, label: "l", bytes: [9],
                            at: Date(timeIntervalSince1970: 86_400), uid: UUID(), maybe: nil, amount: "7", doc: "{}")
        try samples.insert(sample)
        #expect(try samples.find(1) == sample)
    }
}
