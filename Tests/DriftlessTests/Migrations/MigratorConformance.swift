import Driftless
import DriftlessMigrations
import Foundation
import Logging
import Synchronization
import Testing

/// Migration behaviour every backend must show. Each check takes a fresh, empty database
/// (and, where it needs one, a factory for more handles on the same database: other
/// processes, as far as the first handle knows).
enum MigratorConformance {
    /// Upgrading to head and back to base restores the exact schema, and again.
    static func roundTripRestoresTheExactSchema<D: MigrationTestDatabase>(_ db: D) throws {
        let migrator = try db.migrator(SampleHistory.migrations(D.migrationDialect))
        let empty = try db.schemaDump()
        var events: [String] = []
        let run = try migrator.upgrade { event in
            if case .finished(let step, let number, let count, _) = event { events.append("\(number)/\(count) \(step.revision.id)") }
        }
        #expect(run.steps.map(\.revision.id) == ["a1", "b2", "c3", "d4", "e5"])
        #expect(events == ["1/5 a1", "2/5 b2", "3/5 c3", "4/5 d4", "5/5 e5"])
        #expect(try migrator.currentRevisions() == ["e5"])
        #expect(try db.strings("SELECT name FROM users") == ["O'Brien"])
        let upgraded = try db.schemaDump()
        #expect(upgraded != empty)

        try migrator.downgrade(to: "-1")
        #expect(try migrator.currentRevisions() == ["d4"])
        #expect(try db.strings("SELECT name FROM users").isEmpty)
        try migrator.downgrade(to: "b2")
        #expect(try migrator.currentRevisions() == ["b2"])
        try migrator.downgrade(to: "base")
        #expect(try migrator.currentRevisions() == [])
        #expect(try db.schemaDump() == empty)

        try migrator.upgrade(to: "c3")
        #expect(try migrator.currentRevisions() == ["c3"])
        #expect(try migrator.pendingMigrations().map(\.revision.id) == ["d4", "e5"])
        try migrator.upgrade()
        #expect(try db.schemaDump() == upgraded)
        #expect(try migrator.history().filter(\.isCurrent).map(\.revision.id) == ["e5"])
    }

    /// Operations written with the Swift DSL (table rebuilds on SQLite) round-trip too, and
    /// keep the rows of the tables they rebuild.
    static func builderOperationsRoundTrip<D: MigrationTestDatabase>(_ db: D) throws {
        let migrator = try db.migrator(BuilderHistory.migrations)
        let empty = try db.schemaDump()
        try migrator.upgrade()
        let upgraded = try db.schemaDump()
        #expect(try db.strings("SELECT mail || ' ' || tag FROM accounts") == ["a@example.com none"])
        #expect(try db.strings("SELECT account_id FROM sessions") == ["1"])
        try migrator.downgrade(to: "k2")
        #expect(try db.strings("SELECT email || ' ' || age FROM accounts") == ["a@example.com 0"])
        try migrator.downgrade(to: "base")
        #expect(try db.schemaDump() == empty)
        try migrator.upgrade()
        #expect(try db.schemaDump() == upgraded)
    }

    /// A failing migration rolls back with its version update; the error names it.
    static func failedMigrationRollsBack<D: MigrationTestDatabase>(_ db: D) throws {
        let migrations = [
            sqlMigration("a1", up: "CREATE TABLE kept (id INTEGER PRIMARY KEY)", down: "DROP TABLE kept"),
            sqlMigration("b2", parents: ["a1"], up: "CREATE TABLE half (id INTEGER PRIMARY KEY); INSERT INTO no_such_table VALUES (1)"),
        ]
        let migrator = try db.migrator(migrations)
        #expect {
            try migrator.upgrade()
        } throws: { error in
            guard let error = error as? MigrationError, error.code == .migrationFailed else { return false }
            return error.revision == "b2" && error.direction == .upgrade && (error.underlying as? DatabaseError)?.isSchemaDrift == true
        }
        #expect(try migrator.currentRevisions() == ["a1"])
        #expect(try db.schemaDump().contains { $0.contains("half") } == false)
        #expect(try db.schemaDump().contains { $0.contains("kept") })
    }

    /// A branched graph on a real database: the version table holds one row per applied
    /// head (a branch adds a row, the merge replaces both), `label@head` upgrades one branch,
    /// and downgrading one branch leaves the other alone.
    static func branchesAndMergesKeepOneRowPerHead<D: MigrationTestDatabase>(_ db: D) throws {
        // base -> a1 -> (b2 "billing" | c3 "search") -> m4 (merge) -> e5
        let migrations = [
            sqlMigration("a1", up: "CREATE TABLE users (id INTEGER PRIMARY KEY)", down: "DROP TABLE users"),
            sqlMigration("b2", parents: ["a1"], labels: ["billing"],
                         up: "CREATE TABLE invoices (id INTEGER PRIMARY KEY)", down: "DROP TABLE invoices"),
            sqlMigration("c3", parents: ["a1"], labels: ["search"],
                         up: "CREATE TABLE terms (id INTEGER PRIMARY KEY)", down: "DROP TABLE terms"),
        ]
        let merged = migrations + [
            sqlMigration("m4", parents: ["b2", "c3"], message: "merge billing and search"),
            sqlMigration("e5", parents: ["m4"], up: "CREATE TABLE audit (id INTEGER PRIMARY KEY)", down: "DROP TABLE audit"),
        ]
        let branched = try db.migrator(migrations)
        func rows() throws -> [String] { try db.strings("SELECT version_num FROM driftless_version ORDER BY version_num") }
        func tables() throws -> [String] { try db.schemaDump().filter { $0.hasPrefix("table ") || $0.hasPrefix("column ") } }

        #expect {
            try branched.upgrade(to: "head")
        } throws: { error in
            guard let error = error as? MigrationError, error.code == .multipleHeads else { return false }
            return error.target == "head" && error.revisions == ["b2", "c3"] && "\(error)".contains("merge heads")
        }
        try branched.upgrade(to: "billing@head")
        #expect(try rows() == ["b2"])
        #expect(try db.strings("SELECT COUNT(*) FROM invoices") == ["0"])
        try branched.upgrade(to: "heads")
        #expect(try rows() == ["b2", "c3"])
        #expect(try branched.currentRevisions() == ["b2", "c3"])

        // Downgrading one branch to its base leaves the other branch and its row alone.
        try branched.downgrade(to: "search@base")
        #expect(try rows() == ["b2"])
        #expect(try tables().contains { $0.contains("terms") } == false)
        #expect(try tables().contains { $0.contains("invoices") })
        try branched.upgrade()
        #expect(try rows() == ["b2", "c3"])

        // The merge replaces both rows by one; reverting it brings both back.
        let migrator = try db.migrator(merged)
        try migrator.upgrade(to: "m4")
        #expect(try rows() == ["m4"])
        try migrator.upgrade()
        #expect(try rows() == ["e5"])
        try migrator.downgrade(to: "-1")
        #expect(try rows() == ["m4"])
        try migrator.downgrade(to: "c3")
        #expect(try rows() == ["b2", "c3"])
        #expect(try migrator.history().filter(\.isCurrent).map(\.revision.id).sorted() == ["b2", "c3"])
    }

    /// At head, automatic migration answers from one read and takes no lock: it returns at
    /// once while another process holds the migration lock. With work to do it waits for the
    /// lock, and gives up after the lock timeout with an error naming the holder.
    static func autoMigrationSkipsTheLockAtHead<D: MigrationTestDatabase>(_ db: D) throws {
        let migrations = SampleHistory.migrations(D.migrationDialect)
        try db.migrator(Array(migrations.prefix(4))).upgrade()
        try db.holdingMigrationLock {
            let atHead = try db.migrator(Array(migrations.prefix(4)), lockTimeout: .milliseconds(200))
            let started = ContinuousClock.now
            guard case .upToDate = try atHead.migrateToLatest() else {
                Issue.record("expected upToDate at head")
                return
            }
            #expect(ContinuousClock.now - started < .milliseconds(200))

            let behind = try db.migrator(migrations, lockTimeout: .milliseconds(200))
            #expect {
                try behind.migrateToLatest()
            } throws: { error in
                guard let error = error as? MigrationError, error.code == .lockTimeout else { return false }
                return error.seconds == 0.2
            }
        }
        #expect(try db.migrator(migrations).migrateToLatest().appliedRevisions == ["e5"])
    }

    /// A migration outside transactions runs, and its version update follows.
    static func nonTransactionalMigration<D: MigrationTestDatabase>(_ db: D) throws {
        let migrations = [
            sqlMigration("a1", up: "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)", down: "DROP TABLE items"),
            sqlMigration("b2", parents: ["a1"], up: "CREATE INDEX items_name ON items (name)", down: "DROP INDEX items_name",
                         transactional: false),
        ]
        let migrator = try db.migrator(migrations)
        let run = try migrator.upgrade()
        #expect(run.steps.map(\.revision.id) == ["a1", "b2"])
        #expect(try migrator.currentRevisions() == ["b2"])
        #expect(try db.schemaDump().contains { $0.contains("items_name") })
        try migrator.downgrade(to: "a1")
        #expect(try db.schemaDump().contains { $0.contains("items_name") } == false)
    }

    /// Stamp moves the version table without running migrations; purge clears unknown rows.
    static func stampAndPurge<D: MigrationTestDatabase>(_ db: D) throws {
        let migrator = try db.migrator(SampleHistory.migrations(D.migrationDialect))
        let empty = try db.schemaDump()
        let stamped = try migrator.stamp(["c3"])
        #expect(stamped.versionsBefore == [] && stamped.versionsAfter == ["c3"])
        #expect(try migrator.currentRevisions() == ["c3"])
        #expect(try db.schemaDump() == empty)
        try migrator.stamp(["a1"])
        #expect(try migrator.currentRevisions() == ["a1"])

        try db.write { connection in
            try LiveMigrationConnection(connection).execute("INSERT INTO driftless_version (version_num) VALUES ('f00dfeed')", arguments: [])
        }
        #expect {
            try migrator.upgrade()
        } throws: { error in
            guard let error = error as? MigrationError, error.code == .unknownRevisionsInDatabase else { return false }
            return error.revisions == ["f00dfeed"]
        }
        #expect(throws: MigrationError.self) { try migrator.stamp(["b2"]) }
        try migrator.stamp(["b2"], purge: true)
        #expect(try migrator.currentRevisions() == ["b2"])
        try migrator.stamp(["base"])
        #expect(try migrator.currentRevisions() == [])
    }

    /// Automatic migration: applies, then skips at head, and logs (does not fail on) a
    /// database ahead of the program.
    static func migrateToLatest<D: MigrationTestDatabase>(_ db: D) throws {
        let log = LogCapture()
        let migrator = try db.migrator(SampleHistory.migrations(D.migrationDialect), logger: log.logger)
        #expect(try migrator.migrateToLatest().appliedRevisions == ["a1", "b2", "c3", "d4", "e5"])
        #expect(log.logged.filter { $0.message == "applied migration" }.count == 5)
        guard case .upToDate = try migrator.migrateToLatest() else {
            Issue.record("expected upToDate at head")
            return
        }
        // A newer release migrated further: this program does not know its revision.
        try db.write { connection in
            try LiveMigrationConnection(connection).execute("UPDATE driftless_version SET version_num = 'f00dfeed'", arguments: [])
        }
        guard case .databaseAhead(let unknown) = try migrator.migrateToLatest() else {
            Issue.record("expected databaseAhead")
            return
        }
        #expect(unknown == ["f00dfeed"])
        #expect(log.logged.contains { $0.level == .warning && $0.message.contains("ahead") && $0.metadata["unknown_revisions"] == "f00dfeed" })
    }

    /// Several migrators starting at once on handles of their own: exactly one applies each
    /// migration (each migration logs a row; a second application would log another).
    static func concurrentMigratorsApplyEachMigrationOnce<D: MigrationTestDatabase>(_ handles: [D]) throws {
        let dialect = D.migrationDialect
        let slow = SchemaOperation.custom(name: "pause") { _ in Thread.sleep(forTimeInterval: 0.05) }
        var migrations = [
            sqlMigration("a1", up: "CREATE TABLE applied_log (revision TEXT NOT NULL)", down: "DROP TABLE applied_log"),
        ]
        for index in 2...6 {
            migrations.append(Migration(
                revision: Revision(id: "m\(index)", message: "step \(index)", parents: [migrations.last!.revision.id]),
                upgrade: [slow, .execute(sql: "INSERT INTO applied_log (revision) VALUES (\(dialect.placeholder(1)))", arguments: [.text("m\(index)")])],
                downgrade: []))
        }
        let migrators = try handles.map { try $0.migrator(migrations) }
        let results = Mutex<[Result<[String], any Error>]>([])
        DispatchQueue.concurrentPerform(iterations: migrators.count) { index in
            let result = Result { try migrators[index].migrateToLatest().appliedRevisions }
            results.withLock { $0.append(result) }
        }
        let applied = try results.withLock { $0 }.map { try $0.get() }
        #expect(applied.flatMap { $0 }.sorted() == ["a1", "m2", "m3", "m4", "m5", "m6"])
        #expect(try handles[0].strings("SELECT revision FROM applied_log ORDER BY revision") == ["m2", "m3", "m4", "m5", "m6"])
        #expect(try migrators[0].currentRevisions() == ["m6"])
    }

    /// After a migration adds a column, projected plans of the same database catch up at
    /// once, without waiting for the catch-up interval.
    static func migrationInvalidatesTheSchemaCache<D: MigrationTestDatabase>(_ db: D) throws {
        let first = sqlMigration("a1", up: "CREATE TABLE members (id INTEGER PRIMARY KEY, name TEXT NOT NULL)", down: "DROP TABLE members")
        let second = sqlMigration("b2", parents: ["a1"], up: """
            ALTER TABLE members ADD COLUMN age INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE members ADD COLUMN email TEXT;
            ALTER TABLE members ADD COLUMN score REAL NOT NULL DEFAULT 1.5;
            ALTER TABLE members ADD COLUMN active BOOLEAN NOT NULL DEFAULT TRUE
            """)
        try db.migrator([first]).upgrade()
        let members = db.blocking.repository(Member.self)
        #expect(try members.fetchAll().isEmpty)
        #expect(try members.planMode().isDrifted)
        try db.migrator([first, second]).upgrade()
        _ = try members.fetchAll()
        #expect(try members.planMode() == .full)
    }

    /// The startup call: when migrating fails and the app opted in, missing tables are
    /// created from the records; otherwise the error is thrown.
    static func startupFallsBackToCreatingMissingTables<D: MigrationTestDatabase>(_ db: D) throws {
        let broken = [sqlMigration("a1", up: "CREATE TABLE oops (")]
        #expect(throws: MigrationError.self) { try db.migrator(broken).prepareDatabase(records: [Member.self]) }
        let report = try db.migrator(broken).prepareDatabase(records: [Member.self], onMigrationFailure: .createMissingTables)
        #expect(report.migrationError != nil)
        #expect(report.createdTables == [TableName("members")])
        #expect(report.drift?.isClean == true)
        try db.blocking.repository(Member.self).insert(Member.sample(1))
        #expect(try db.blocking.repository(Member.self).count() == 1)

        let fine = try db.migrator(SampleHistory.migrations(D.migrationDialect)).prepareDatabase(records: [Member.self])
        #expect(fine.migration?.appliedRevisions.count == 5)
        #expect(fine.createdTables.isEmpty)
    }
}
