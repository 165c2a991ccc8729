import Driftless
import DriftlessPostgres
import Foundation
import Testing

/// What only PostgreSQL has: its types, schemas and `search_path`, and its transaction
/// semantics. The conformance suites (``ConformanceCase``) cover the repository API.
@Suite(.enabled(if: TestPostgres.isEnabled, TestPostgres.skipReason)) struct PostgresRepositoryTests {
    /// PostgreSQL aborts a transaction on any error; one whose body caught the error itself
    /// must not commit silently (COMMIT would roll back and report success).
    @Test func aTransactionWhoseBodySwallowedAnErrorIsNotCommitted() throws {
        let db = try PostgresFixture().database
        try db.blocking.execute(User.createFullTablePostgres)
        try db.blocking.repository(User.self).insert(User(id: 1, name: "Ada", email: nil, plan: "free"))
        let error = #expect(throws: DatabaseError.self) {
            try db.blocking.transaction { tx in
                let users = tx.repository(User.self)
                try users.insert(User(id: 5, name: "Lost", email: nil, plan: "free"))
                _ = try? users.insert(User(id: 1, name: "Duplicate", email: nil, plan: "free"))
            }
        }
        #expect(error?.kind == .transactionAborted)
        #expect(try db.blocking.repository(User.self).find(5) == nil)
        #expect(try db.blocking.repository(User.self).count() == 1)
    }

    @Test func typesRoundTrip() throws {
        let db = try PostgresFixture().database
        try db.blocking.execute(TypedSample.createTable)
        let samples = db.blocking.repository(TypedSample.self)
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
        try db.blocking.execute("""
            CREATE SCHEMA driftless_qualified;
            CREATE TABLE driftless_qualified."user" (id bigint PRIMARY KEY)
            """)
        let users = db.blocking.repository(ReservedUser.self)
        try users.insert(ReservedUser(id: 1, order: "none"))
        #expect(try users.find(1) == ReservedUser(id: 1, order: "none"))
        #expect(try users.planMode() == .projected(missing: ["order"]))
        try db.blocking.execute("ALTER TABLE driftless_qualified.\"user\" ADD COLUMN \"order\" text NOT NULL DEFAULT 'none'")
        db.invalidateSchema()
        try users.update(ReservedUser(id: 1, order: "first"))
        #expect(try users.find(1)?.order == "first")
        #expect(try users.planMode() == .full)
    }

    @Test func unqualifiedTablesResolveThroughSearchPath() throws {
        let fixture = try PostgresFixture()
        try fixture.database.blocking.execute("""
            CREATE SCHEMA app; CREATE SCHEMA elsewhere;
            CREATE TABLE elsewhere.users (id bigint PRIMARY KEY);
            CREATE TABLE app.users (id bigint PRIMARY KEY, name text NOT NULL, email text);
            INSERT INTO app.users VALUES (1, 'Ada', NULL)
            """)
        var configuration = fixture.configuration
        configuration.setParameter("options", "-c search_path=app,elsewhere")
        let db = try PostgresDatabase(configuration: configuration)
        // `users` is app.users, the first on the path, not elsewhere.users.
        #expect(try db.blocking.repository(User.self).planMode() == .projected(missing: ["plan"]))
        #expect(try db.blocking.repository(User.self).find(1) == User(id: 1, name: "Ada", email: nil, plan: "free"))
    }

    @Test func createsMissingTablesFromTheDeclaration() throws {
        let fixture = try PostgresFixture(drift: DriftConfiguration(createMissingTables: true, logger: LogCapture.silentLogger))
        let samples = fixture.database.blocking.repository(TypedSample.self)
        let sample = TypedSample(id: 1, small: 2, count: 3, ratio: 4.5, flag: true, label: "l", bytes: [9],
                            at: Date(timeIntervalSince1970: 86_400), uid: UUID(), maybe: nil, amount: "7", doc: "{}")
        try samples.insert(sample)
        #expect(try samples.find(1) == sample)
    }
}
