import Driftless
import DriftlessPostgres
import Foundation
import Testing

@Suite(.enabled(if: TestPostgres.isEnabled)) struct PostgresRepositoryTests {
    @Test func crudThroughTheRepository() throws {
        let db = try PostgresFixture().database
        try db.execute(User.createFullTablePostgres)
        let users = db.repository(User.self)
        try users.insert(User(id: 1, name: "Ada", email: "ada@example.com", plan: "pro"))
        try users.insert(contentsOf: [User(id: 2, name: "Bob", email: nil, plan: "free"),
                                      User(id: 3, name: "Cy", email: nil, plan: "free")])
        #expect(try users.find(1) == User(id: 1, name: "Ada", email: "ada@example.com", plan: "pro"))
        #expect(try users.find(99) == nil)
        #expect(try users.count() == 3)
        #expect(try users.fetchAll(User.filter(\.plan == "free").order(.ascending(\.name))).map(\.id) == [2, 3])
        #expect(try users.exists(User.filter(\.email != nil)))
        try users.update(User(id: 2, name: "Bob", email: nil, plan: "team"))
        #expect(try users.find(2)?.plan == "team")
        try users.upsert(User(id: 3, name: "Cyd", email: nil, plan: "free"))
        try users.upsert(User(id: 4, name: "Di", email: nil, plan: "free"))
        #expect(try users.find(3)?.name == "Cyd")
        #expect(try users.insertAndFetch(User(id: 5, name: "Ed", email: nil, plan: "free")).plan == "free")
        #expect(try users.delete(key: [.integer(5)]))
        #expect(try users.delete(key: [.integer(5)]) == false)
        #expect(try users.deleteAll(User.filter(\.id >= 4)) == 1)
        #expect(throws: DriftlessError.self) { try users.update(User(id: 42, name: "Nobody", email: nil, plan: "free")) }
        #expect(try users.fetchAll(sql: "SELECT id, name FROM users WHERE id = $1", arguments: [1]).first?.plan == "free")
    }

    @Test func asyncAPIAndConcurrentUse() async throws {
        let db = try PostgresFixture().database
        try await db.write { try $0.execute(User.createFullTablePostgres) }
        let users = db.repository(User.self)
        try await users.insert(User(id: 1, name: "Ada", email: nil, plan: "free"))
        #expect(try await users.find(1)?.name == "Ada")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for id in 10..<30 {
                group.addTask { try await users.insert(User(id: Int64(id), name: "u\(id)", email: nil, plan: "free")) }
            }
            try await group.waitForAll()
        }
        #expect(try await users.count() == 21)
        let names = try await db.transaction { tx in try tx.repository(User.self).fetchAll().map(\.name) }
        #expect(names.count == 21)
    }

    @Test func transactionsCommitRollBackAndNest() throws {
        let db = try PostgresFixture().database
        try db.execute(User.createFullTablePostgres)
        func user(_ id: Int64, _ name: String) -> User { User(id: id, name: name, email: nil, plan: "free") }
        try db.transaction { tx in
            let users = tx.repository(User.self)
            try users.insert(user(1, "Ada"))
            struct Cancel: Error {}
            _ = try? tx.savepoint {
                try users.insert(user(2, "Rolled back"))
                throw Cancel()
            }
            try users.insert(user(3, "Cy"))
        }
        #expect(try db.repository(User.self).fetchAll().map(\.id) == [1, 3])
        struct Failure: Error {}
        #expect(throws: Failure.self) {
            try db.transaction { tx in
                try tx.repository(User.self).insert(user(4, "Gone"))
                throw Failure()
            }
        }
        #expect(try db.repository(User.self).count() == 2)
        // A transaction whose body swallowed an error is not committed silently.
        let error = #expect(throws: DatabaseError.self) {
            try db.transaction { tx in
                let users = tx.repository(User.self)
                try users.insert(user(5, "Lost"))
                _ = try? users.insert(user(1, "Duplicate"))
            }
        }
        #expect(error?.kind == .transactionAborted)
        #expect(try db.repository(User.self).find(5) == nil)
    }

    @Test func typesRoundTrip() throws {
        let db = try PostgresFixture().database
        try db.execute(TypedSample.createTable)
        let samples = db.repository(TypedSample.self)
        let sample = TypedSample(
            id: .max, small: -32768, count: .max, ratio: 0.1 + 0.2, flag: true, label: "héllo 'quoted' \\ \"x\"",
            bytes: [0, 1, 0xFE, 0xFF], at: Date(timeIntervalSince1970: 1_700_000_000.5),
            uid: UUID(), maybe: nil, amount: "12345678901234567890.000000000000000001", doc: "{\"a\": [1, 2]}")
        try samples.insert(sample)
        let read = try #require(try samples.find(Int64.max))
        #expect(read == sample)
        let other = TypedSample(id: .min, small: 1, count: -1, ratio: -.infinity, flag: false, label: "",
                           bytes: [], at: Date(timeIntervalSince1970: 0), uid: UUID(), maybe: "x",
                           amount: "-0.5", doc: "[]")
        try samples.insert(other)
        #expect(try samples.find(Int64.min) == other)
        #expect(try samples.fetchAll(TypedSample.filter(\.flag == true)).map(\.id) == [.max])
        #expect(try samples.fetchAll(TypedSample.filter(\.bytes == [0, 1, 0xFE, 0xFF])).map(\.id) == [.max])
        #expect(try samples.count(TypedSample.filter(\.uid == sample.uid)) == 1)
    }

    @Test func reservedWordsAndSchemaQualifiedTables() throws {
        let fixture = try PostgresFixture()
        let db = fixture.database
        try db.execute("""
            CREATE SCHEMA driftless_qualified;
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
    }

    @Test func unqualifiedTablesResolveThroughSearchPath() throws {
        let fixture = try PostgresFixture()
        try fixture.database.execute("""
            CREATE SCHEMA app; CREATE SCHEMA elsewhere;
            CREATE TABLE elsewhere.users (id bigint PRIMARY KEY);
            CREATE TABLE app.users (id bigint PRIMARY KEY, name text NOT NULL, email text);
            INSERT INTO app.users VALUES (1, 'Ada', NULL)
            """)
        var configuration = fixture.configuration
        configuration.setParameter("options", "-c search_path=app,elsewhere")
        let db = try PostgresDatabase(configuration: configuration)
        // `users` is app.users, the first on the path, not elsewhere.users.
        #expect(try db.repository(User.self).planMode() == .projected(missing: ["plan"]))
        #expect(try db.repository(User.self).find(1) == User(id: 1, name: "Ada", email: nil, plan: "free"))
    }

    @Test func createsMissingTablesFromTheDeclaration() throws {
        let fixture = try PostgresFixture(drift: DriftConfiguration(createMissingTables: true, logger: LogCapture.silentLogger))
        let samples = fixture.database.repository(TypedSample.self)
        let sample = TypedSample(id: 1, small: 2, count: 3, ratio: 4.5, flag: true, label: "l", bytes: [9],
                            at: Date(timeIntervalSince1970: 86_400), uid: UUID(), maybe: nil, amount: "7", doc: "{}")
        try samples.insert(sample)
        #expect(try samples.find(1) == sample)
    }
}
