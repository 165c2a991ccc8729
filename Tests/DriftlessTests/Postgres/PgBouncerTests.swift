import Driftless
import DriftlessPostgres
import Foundation
import Testing

@Suite(.enabled(if: TestPgBouncer.isEnabled, TestPgBouncer.skipReason)) struct PgBouncerTests {
    @Test func repositoryAndDriftBehindTransactionPooling() async throws {
        // The fixture's own database, reached through the bouncer (its `*` entry passes the
        // database name through) and directly.
        let fixture = try PostgresFixture()
        let direct = fixture.database
        var configuration = try PostgresConfiguration(url: TestPgBouncer.server.get(), usesUnnamedStatements: true,
                                                      drift: DriftConfiguration(logger: LogCapture.silentLogger))
        configuration.setParameter("dbname", fixture.databaseName)
        configuration.schemaChangeChannel = nil
        let db = try PostgresDatabase(configuration: configuration)
        try await direct.execute(User.createFullTablePostgres)
        let users = db.repository(User.self)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for id in 1...20 {
                group.addTask { try await users.insert(User(id: Int64(id), name: "u\(id)", email: nil, plan: "pro")) }
            }
            try await group.waitForAll()
        }
        #expect(try await users.count() == 20)
        #expect(try await users.find(3)?.plan == "pro")
        // Drift behind the bouncer, in a transaction too.
        try await direct.execute("ALTER TABLE users DROP COLUMN plan")
        #expect(try await users.find(3) == User(id: 3, name: "u3", email: nil, plan: "free"))
        try await db.transaction { tx in
            let users = tx.repository(User.self)
            try await users.insert(User(id: 21, name: "in a transaction", email: nil, plan: "team"))
            #expect(try await users.count() == 21)
        }
        #expect(try await users.count() == 21)
    }
}
