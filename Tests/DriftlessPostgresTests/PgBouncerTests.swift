import Driftless
import DriftlessPostgres
import Foundation
import Testing

/// The only test table in the `public` schema: PgBouncer ignores the `options` startup
/// parameter the other tests use to get a schema of their own.
struct BouncedUser: Record, Equatable {
    var id: Int64
    var name: String
    var plan: String

    static let schema = RecordSchema<BouncedUser>(table: "driftless_bounced_users") {
        Column("id", \.id, primaryKey: true)
        Column("name", \.name, default: "")
        Column("plan", \.plan, default: "free")
    }

    init(id: Int64, name: String, plan: String = "free") {
        self.id = id
        self.name = name
        self.plan = plan
    }

    init(row: Row) throws {
        id = try row.decode(at: 0)
        name = try row.decode(at: 1)
        plan = try row.decode(at: 2)
    }
}

@Suite(.enabled(if: TestPgBouncer.isEnabled)) struct PgBouncerTests {
    @Test func repositoryAndDriftBehindTransactionPooling() async throws {
        var configuration = try PostgresConfiguration(url: TestPgBouncer.server.get(), usesUnnamedStatements: true)
        configuration.schemaChangeChannel = nil
        let db = try PostgresDatabase(configuration: configuration)
        let direct = try PostgresDatabase(url: TestPostgres.url())
        try direct.execute("""
            DROP TABLE IF EXISTS driftless_bounced_users;
            CREATE TABLE driftless_bounced_users (id bigint PRIMARY KEY, name text NOT NULL,
                                                  plan text NOT NULL DEFAULT 'free')
            """)
        let users = db.repository(BouncedUser.self)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for id in 1...20 { group.addTask { try await users.insert(BouncedUser(id: Int64(id), name: "u\(id)", plan: "pro")) } }
            try await group.waitForAll()
        }
        #expect(try await users.count() == 20)
        #expect(try await users.find(3)?.plan == "pro")
        // Drift behind the bouncer, in a transaction too.
        try direct.execute("ALTER TABLE driftless_bounced_users DROP COLUMN plan")
        #expect(try await users.find(3) == BouncedUser(id: 3, name: "u3"))
        try await db.transaction { tx in
            let users = tx.repository(BouncedUser.self)
            try users.insert(BouncedUser(id: 21, name: "in a transaction", plan: "team"))
            #expect(try users.count() == 21)
        }
        #expect(try await users.count() == 21)
        try direct.execute("DROP TABLE driftless_bounced_users")
    }
}
