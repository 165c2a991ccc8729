import Driftless
import DriftlessMigrations
import DriftlessSQLite
import DriftlessSQLiteMigrations
import Foundation
import Testing

/// The migrator on SQLite files.
@Suite("SQLite migrations")
struct SQLiteMigratorTests {
    @Test(arguments: MigrationCase.allCases)
    func conformance(_ check: MigrationCase) throws {
        try check.run(with: SQLiteFixture.self)
    }

    @Test(arguments: ZeroDowntimeMigrationCase.allCases)
    func zeroDowntime(_ check: ZeroDowntimeMigrationCase) async throws {
        try await check.run(with: SQLiteFixture.self)
    }

    @Test(arguments: MigrationProcessCase.allCases)
    func processes(_ check: MigrationProcessCase) throws {
        let fixture = try SQLiteFixture()
        try check.run(on: fixture.database, url: fixture.database.path)
    }

    /// The async startup call runs off the cooperative pool and reports what it did.
    @Test func asyncStartupCall() async throws {
        let db = try SQLiteFixture().database
        let migrator = try db.migrator(SampleHistory.migrations(.sqlite))
        let report = try await migrator.prepareDatabase(records: [Member.self], onMigrationFailure: .createMissingTables)
        #expect(report.migration?.appliedRevisions == ["a1", "b2", "c3", "d4", "e5"])
        #expect(report.createdTables.isEmpty && report.migrationError == nil)
        #expect(report.drift?.entries.first?.mode == .tableMissing)
        guard case .upToDate = try await migrator.migrateToLatest() else {
            Issue.record("expected upToDate")
            return
        }
    }

    /// Foreign keys are off while a migration runs (so table rebuilds work) and checked
    /// before it commits: a migration that leaves dangling references rolls back.
    @Test func foreignKeyViolationsRollTheMigrationBack() throws {
        let db = try SQLiteFixture().database
        let migrations = SampleHistory.migrations(.sqlite).prefix(4) + [
            sqlMigration("x9", parents: ["d4"], up: "INSERT INTO orders (id, user_id) VALUES (1, 42)"),
        ]
        let migrator = try db.migrator(Array(migrations))
        #expect {
            try migrator.upgrade()
        } throws: { error in
            guard let error = error as? MigrationError, error.code == .foreignKeyViolations else { return false }
            return error.revision == "x9" && error.related == ["orders row 1 references a missing row of users"]
        }
        #expect(try migrator.currentRevisions() == ["d4"])
        #expect(try db.strings("SELECT id FROM orders").isEmpty)
        // Foreign keys are enforced again afterwards.
        #expect(throws: DatabaseError.self) { try db.blocking.execute("INSERT INTO orders (id, user_id) VALUES (2, 42)") }
    }

    /// Another process holding the write lock past the lock timeout: a typed error naming it.
    @Test func lockTimeoutNamesTheHolder() throws {
        let fixture = try SQLiteFixture()
        let blocker = try SQLiteDatabase(path: fixture.database.path, configuration: SQLiteConfiguration(busyTimeout: .milliseconds(50)))
        let migrator = try SQLiteDatabase(path: fixture.database.path, configuration: SQLiteConfiguration(busyTimeout: .milliseconds(50)))
            .migrator(SampleHistory.migrations(.sqlite), lockTimeout: .milliseconds(300))
        try blocker.write { connection in
            try connection.execute("BEGIN IMMEDIATE")
            defer { try? connection.execute("ROLLBACK") }
            #expect {
                try migrator.upgrade()
            } throws: { error in
                guard let error = error as? MigrationError, error.code == .lockTimeout else { return false }
                return error.seconds == 0.3 && error.detail?.contains(fixture.database.path) == true
            }
        }
        #expect(try migrator.upgrade().steps.count == 5)
    }

    /// The offline script, piped into the `sqlite3` tool, leaves the same schema and version
    /// rows as the online run; the downgrade script takes it back to an empty schema.
    @Test func offlineSQLThroughTheSQLite3ToolMatchesOnline() throws {
        let migrations = SampleHistory.migrations(.sqlite)
        let online = try SQLiteFixture().database
        let empty = try online.schemaDump()
        let migrator = try online.migrator(migrations)
        try migrator.upgrade()

        let graph = try RevisionGraph(migrations)
        let script = OfflineMigrationScript<SQLiteDatabase>(graph: graph)
        let upgrade = try script.upgrade("heads")
        #expect(upgrade.contains("BEGIN IMMEDIATE;"))
        #expect(upgrade.contains("INSERT INTO users (id, name, plan) VALUES (1, 'O''Brien', 'pro');"))
        #expect(upgrade.contains("UPDATE \"driftless_version\" SET version_num = 'b2' WHERE version_num = 'a1';"))

        let offline = TemporaryDirectory().path("offline.sqlite")
        let applied = try sqlite3(offline, upgrade)
        #expect(applied.status == 0, "sqlite3 failed: \(applied.error)")
        let offlineDatabase = try SQLiteDatabase(path: offline)
        #expect(try offlineDatabase.schemaDump() == online.schemaDump())
        #expect(try offlineDatabase.strings("SELECT version_num FROM driftless_version") == ["e5"])
        #expect(try offlineDatabase.strings("SELECT name FROM users") == ["O'Brien"])

        // A middle range, then back down with a start:end range.
        let partial = TemporaryDirectory().path("partial.sqlite")
        #expect(try sqlite3(partial, script.upgrade("b2")).status == 0)
        #expect(try sqlite3(partial, script.upgrade("b2:e5")).status == 0)
        #expect(try SQLiteDatabase(path: partial).schemaDump() == online.schemaDump())
        #expect(try sqlite3(partial, script.downgrade("e5:base")).status == 0)
        #expect(try SQLiteDatabase(path: partial).schemaDump() == empty)
        #expect(try SQLiteDatabase(path: partial).strings("SELECT version_num FROM driftless_version").isEmpty)

        #expect {
            try script.downgrade("base")
        } throws: { error in
            (error as? MigrationError)?.code == .offlineRangeRequired
        }
    }

    /// Table rebuilds render offline through the shadow database: the script recreates the
    /// same tables, indexes and rows as the online run, and reverts them.
    @Test func offlineRebuildsThroughTheSQLite3ToolMatchOnline() throws {
        let online = try SQLiteFixture().database
        let empty = try online.schemaDump()
        try online.migrator(BuilderHistory.migrations).upgrade()
        let script = OfflineMigrationScript<SQLiteDatabase>(graph: try RevisionGraph(BuilderHistory.migrations))
        let upgrade = try script.upgrade("heads")
        // The rebuild copies the rows the shadow says the table has, with foreign keys off.
        #expect(upgrade.contains("INSERT INTO \"_driftless_new_accounts\" (rowid, \"id\", \"email\", \"age\") SELECT"))
        #expect(upgrade.contains("PRAGMA foreign_keys = OFF;\nBEGIN IMMEDIATE;\nUPDATE accounts SET age = 0"))
        let path = TemporaryDirectory().path("offline.sqlite")
        let applied = try sqlite3(path, upgrade)
        #expect(applied.status == 0, "sqlite3 failed: \(applied.error)")
        let offline = try SQLiteDatabase(path: path)
        #expect(try offline.schemaDump() == online.schemaDump())
        #expect(try offline.strings("SELECT mail || ' ' || tag FROM accounts") == ["a@example.com none"])
        #expect(try sqlite3(path, script.downgrade("k5:base")).status == 0)
        #expect(try offline.schemaDump() == empty)
    }

    /// Offline, custom Swift code runs against the recorder: what it executes is in the
    /// script; reading the database is an error naming it (the shadow has no rows).
    @Test func customOperationsOffline() throws {
        let writes = Migration("a1", "code") { up in
            up.custom("backfill") { connection in try connection.execute("CREATE TABLE t (x INTEGER)", arguments: []) }
        } downgrade: { _ in }
        #expect(try OfflineMigrationScript<SQLiteDatabase>(graph: RevisionGraph([writes])).upgrade("heads")
            .contains("CREATE TABLE t (x INTEGER);"))
        let reads = Migration("b2", "reads", parents: ["a1"]) { up in
            up.custom("recompute") { connection in _ = try connection.query("SELECT x FROM t", arguments: []) }
        } downgrade: { _ in }
        #expect {
            try OfflineMigrationScript<SQLiteDatabase>(graph: RevisionGraph([writes, reads])).upgrade("heads")
        } throws: { error in
            guard let error = error as? MigrationError, error.code == .offlineUnsupported, let what = error.detail else { return false }
            return what.contains("recompute") && what.contains("b2")
        }
    }

    /// Swift migrations and SQL files in one graph, run from the folder.
    @Test func swiftAndSQLFileMigrationsCombine() throws {
        let directory = TemporaryDirectory()
        let folder = MigrationDirectory(path: directory.path("migrations"))
        let swift = sqlMigration("a1", up: "CREATE TABLE users (id INTEGER PRIMARY KEY)", down: "DROP TABLE users")
        var file = try MigrationDirectory.newRevision(in: RevisionGraph([swift]), message: "add email",
                                                      upgradeSQL: "ALTER TABLE users ADD COLUMN email TEXT;",
                                                      downgradeSQL: "ALTER TABLE users DROP COLUMN email;")
        #expect(file.revision.parents == ["a1"])
        #expect(file.revision.id.count == 12 && file.revision.id.allSatisfy(\.isHexDigit))
        file.revision.id = "f00d00000001"
        let path = try folder.write(file)
        #expect(path.hasSuffix("f00d00000001_add_email.sql"))
        #expect(throws: MigrationError.self) { try folder.write(file) }

        let db = try SQLiteFixture().database
        let migrator = try db.migrator([swift] + folder.migrations())
        try migrator.upgrade()
        #expect(try migrator.currentRevisions() == ["f00d00000001"])
        #expect(try db.schemaDump().contains { $0.contains("email TEXT") })
        #expect(try migrator.history().first?.source == path)
    }
}
