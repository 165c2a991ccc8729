import Driftless
import DriftlessMigrations
import Testing

/// The migrator's `async` entry points run every statement, and a migration's own Swift
/// code, on a thread of Driftless's, off Swift's cooperative pool.
@Suite struct MigratorAsyncTests {
    @Test func sqlite() async throws {
        let sites = ExecutionSites()
        try await Self.entryPointsLeaveTheCooperativePool(SQLiteFixture(drift: sites.drift).database, sites: sites)
    }

    @Test(.enabled(if: TestPostgres.isEnabled)) func postgres() async throws {
        let sites = ExecutionSites()
        try await Self.entryPointsLeaveTheCooperativePool(PostgresFixture(drift: sites.drift).database, sites: sites)
    }

    static func entryPointsLeaveTheCooperativePool<D: MigratableDatabase & TestDatabase>(_ db: D, sites: ExecutionSites) async throws {
        let create = Migration("a1", "create traced") { up in
            up.createTable("traced") {
                TableColumn("id", .integer, primaryKey: true)
                TableColumn("tag", .text, nullable: false, default: "")
            }
            up.custom("note where migrations run") { _ in sites.record() }
        } downgrade: { down in
            down.dropTable("traced")
        }
        let rename = Migration("b2", "add name", parents: ["a1"]) { up in
            up.addColumn("name", .text, to: "traced", nullable: false, default: "")
            up.custom("note where migrations run") { _ in sites.record() }
        } downgrade: { down in
            down.dropColumn("name", from: "traced")
        }
        func expectOffPool(_ call: String, since start: Int) {
            let seen = sites.sites(since: start)
            #expect(seen.count >= 2, "\(call): only \(seen.count) steps reached the probe")
            let foreign = seen.filter { !$0.isOffCooperativePool }
            #expect(foreign.isEmpty, "\(call) ran \(foreign.count) of \(seen.count) steps at \(foreign.prefix(3))")
        }

        var start = sites.count
        let migrated = try await Migrator(database: db, migrations: [create]).migrateToLatest()
        guard case .migrated = migrated else {
            Issue.record("expected a migration, got \(migrated)")
            return
        }
        expectOffPool("migrateToLatest", since: start)

        start = sites.count
        let report = try await Migrator(database: db, migrations: [create, rename]).prepareDatabase(records: [TracedRecord.self])
        #expect(report.migration.map { "\($0)" }?.contains("b2") == true)
        #expect(report.drift?.isClean == true)
        expectOffPool("prepareDatabase", since: start)
    }
}
