import Driftless
import DriftlessMigrations
import DriftlessPostgres
import DriftlessPostgresMigrations
import Foundation
import Testing

/// The migrator on PostgreSQL, each test on a database of its own.
@Suite("PostgreSQL migrations", .enabled(if: TestPostgres.isEnabled, TestPostgres.skipReason))
struct PostgresMigratorTests {
    @Test(arguments: MigrationCase.allCases)
    func conformance(_ check: MigrationCase) throws {
        try check.run(with: PostgresFixture.self)
    }

    @Test(arguments: ZeroDowntimeMigrationCase.allCases)
    func zeroDowntime(_ check: ZeroDowntimeMigrationCase) async throws {
        try await check.run(with: PostgresFixture.self)
    }

    @Test(arguments: MigrationProcessCase.allCases)
    func processes(_ check: MigrationProcessCase) throws {
        let fixture = try PostgresFixture()
        try check.run(on: fixture.database, url: try fixture.url)
    }

    /// The migrator's NOTIFY makes another instance's projected plans catch up at once, long
    /// before its catch-up interval.
    @Test func notifyMakesOtherInstancesCatchUp() throws {
        let fixture = try PostgresFixture()
        let other = try fixture.openAnother(drift: DriftConfiguration(catchUpInterval: .seconds(3600), logger: LogCapture.silentLogger))
        defer { other.close() }
        let first = sqlMigration("a1", up: "CREATE TABLE members (id bigint PRIMARY KEY, name text NOT NULL)")
        let second = sqlMigration("b2", parents: ["a1"], up: """
            ALTER TABLE members ADD COLUMN age bigint NOT NULL DEFAULT 0, ADD COLUMN email text,
                ADD COLUMN score double precision NOT NULL DEFAULT 1.5, ADD COLUMN active boolean NOT NULL DEFAULT true
            """)
        try fixture.database.migrator([first]).upgrade()
        let members = other.blocking.repository(Member.self)
        _ = try members.fetchAll()
        #expect(try members.planMode().isDrifted)
        Thread.sleep(forTimeInterval: 0.3)  // the other instance's listener connects
        try fixture.database.migrator([first, second]).upgrade()
        let deadline = ContinuousClock.now + .seconds(5)
        var mode = try members.planMode()
        while mode.isDrifted && ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.02)
            _ = try members.fetchAll()
            mode = try members.planMode()
        }
        #expect(mode == .full)
    }

    /// Another session holding the migration lock past the timeout: a typed error naming it.
    @Test func lockTimeoutNamesTheHolder() throws {
        let fixture = try PostgresFixture()
        let migrator = try fixture.database.migrator(SampleHistory.migrations(.postgres), lockTimeout: .milliseconds(300))
        let key = migrator.configuration.advisoryLockKey
        let holder = try PostgresConnection(configuration: fixture.configuration)
        try LiveMigrationConnection(holder).execute("SELECT pg_advisory_lock(\(key))", arguments: [])
        #expect {
            try migrator.upgrade()
        } throws: { error in
            guard let error = error as? MigrationError, error.code == .lockTimeout else { return false }
            return error.seconds == 0.3 && error.detail?.contains("server process") == true
        }
        try LiveMigrationConnection(holder).execute("SELECT pg_advisory_unlock(\(key))", arguments: [])
        #expect(try migrator.upgrade().steps.count == 5)
    }

    /// The offline script, piped into `psql`, leaves the same schema and version rows as the
    /// online run; the downgrade script takes it back to an empty schema.
    @Test func offlineSQLThroughPsqlMatchesOnline() throws {
        let migrations = SampleHistory.migrations(.postgres)
        let online = try PostgresFixture().database
        let empty = try online.schemaDump()
        try online.migrator(migrations).upgrade()

        let script = OfflineMigrationScript<PostgresDatabase>(graph: try RevisionGraph(migrations))
        let offline = try PostgresFixture()
        func psql(_ input: String) throws -> Int32 {
            let result = try DriftlessTests.psql(offline.configuration, input)
            if result.status != 0 { Issue.record("psql failed: \(result.error)") }
            return result.status
        }
        #expect(try psql(script.upgrade("heads")) == 0)
        #expect(try offline.database.schemaDump() == online.schemaDump())
        #expect(try offline.database.strings("SELECT version_num FROM driftless_version") == ["e5"])
        #expect(try offline.database.strings("SELECT name FROM users") == ["O'Brien"])
        #expect(try psql(script.downgrade("e5:c3")) == 0)
        #expect(try offline.database.strings("SELECT version_num FROM driftless_version") == ["c3"])
        #expect(try psql(script.downgrade("c3:base")) == 0)
        #expect(try offline.database.schemaDump() == empty)
    }

    /// Operations written with the Swift DSL render offline too (`ALTER TABLE` forms of
    /// PostgreSQL): the script leaves the schema and rows the online run does.
    @Test func offlineBuilderOperationsThroughPsqlMatchOnline() throws {
        let online = try PostgresFixture().database
        try online.migrator(BuilderHistory.migrations).upgrade()
        let script = OfflineMigrationScript<PostgresDatabase>(graph: try RevisionGraph(BuilderHistory.migrations))
        let offline = try PostgresFixture()
        let empty = try offline.database.schemaDump()
        let up = try psql(offline.configuration, script.upgrade("heads"))
        #expect(up.status == 0, "psql failed: \(up.error)")
        #expect(try offline.database.schemaDump() == online.schemaDump())
        #expect(try offline.database.strings("SELECT mail || ' ' || tag FROM accounts") == ["a@example.com none"])
        let down = try psql(offline.configuration, script.downgrade("k5:base"))
        #expect(down.status == 0, "psql failed: \(down.error)")
        #expect(try offline.database.schemaDump() == empty)
    }

    /// `CREATE INDEX CONCURRENTLY` from a SQL file that opts out of transactions: each
    /// statement is sent on its own (a multi-statement string would be one implicit
    /// transaction). In a transactional migration it fails, naming the revision.
    @Test func concurrentIndexesOutsideTransactions() throws {
        let db = try PostgresFixture().database
        let table = sqlMigration("a1", up: "CREATE TABLE items (id bigint PRIMARY KEY, name text, note text)")
        let file = try MigrationFile(parsing: """
            -- revision: b2
            -- parents: a1
            -- transactional: false

            -- upgrade
            CREATE INDEX CONCURRENTLY items_name ON items (name);
            CREATE INDEX CONCURRENTLY items_note ON items (note);

            -- downgrade
            DROP INDEX CONCURRENTLY items_note;
            DROP INDEX CONCURRENTLY items_name;
            """, path: "b2.sql").migration(source: "b2.sql")
        let migrator = try db.migrator([table, file])
        #expect(try migrator.upgrade().steps.map(\.revision.id) == ["a1", "b2"])
        #expect(try db.strings("SELECT indexname FROM pg_indexes WHERE tablename = 'items' ORDER BY 1") == ["items_name", "items_note", "items_pkey"])
        try migrator.downgrade(to: "a1")
        #expect(try db.strings("SELECT indexname FROM pg_indexes WHERE tablename = 'items'") == ["items_pkey"])

        let inTransaction = sqlMigration("c3", parents: ["a1"], up: "CREATE INDEX CONCURRENTLY items_other ON items (note)")
        #expect {
            try db.migrator([table, inTransaction]).upgrade()
        } throws: { error in
            guard let error = error as? MigrationError, error.code == .migrationFailed, let underlying = error.underlying else { return false }
            return error.revision == "c3" && "\(underlying)".contains("cannot run inside a transaction block")
        }
        #expect(try migrator.currentRevisions() == ["a1"])
    }
}
