import Driftless
import DriftlessMigrations
import Foundation
import Testing

/// Checksums of applied migrations and repeatable migrations, on every backend.
extension MigratorConformance {
    /// An applied migration edited since fails `check` and `upgrade`, naming it; a change
    /// to its downgrade or its layout (comments, spacing, keyword case) does not; `repair`
    /// accepts a reviewed change.
    static func checksumsCatchChangedMigrations<D: MigrationTestDatabase>(_ db: D) throws {
        let original = SampleHistory.migrations(D.migrationDialect)
        try db.migrator(original).upgrade()
        #expect(try db.migrator(original).check().checksumMismatches.isEmpty)

        var relaidOut = original
        relaidOut[1] = sqlMigration("b2", parents: ["a1"], message: "add plan",
                                    up: "-- the plan\nalter table users\n  ADD COLUMN plan TEXT NOT NULL DEFAULT 'free';",
                                    down: "SELECT 1")
        #expect(try db.migrator(relaidOut).check().checksumMismatches.isEmpty)

        var edited = original
        edited[1] = sqlMigration("b2", parents: ["a1"], message: "add plan",
                                 up: "ALTER TABLE users ADD COLUMN plan TEXT NOT NULL DEFAULT 'pro'",
                                 down: "ALTER TABLE users DROP COLUMN plan")
        edited.append(sqlMigration("f6", parents: ["e5"], up: "CREATE TABLE later (id INTEGER PRIMARY KEY)", down: "DROP TABLE later"))
        let migrator = try db.migrator(edited)
        let report = try migrator.check()
        #expect(report.checksumMismatches.map(\.revision) == ["b2"])
        #expect(report.problems.contains { $0.contains("b2") && $0.contains("repair") })
        #expect {
            try migrator.upgrade()
        } throws: { error in
            guard let error = error as? MigrationError, error.code == .checksumMismatch else { return false }
            return error.revisions == ["b2"] && "\(error)".contains("b2")
        }
        #expect(try migrator.currentRevisions() == ["e5"])  // nothing ran

        let repair = try migrator.repairChecksums()
        #expect(repair.accepted.map(\.revision) == ["b2"])
        #expect(try migrator.check().checksumMismatches.isEmpty)
        try migrator.upgrade()
        #expect(try migrator.currentRevisions() == ["f6"])

        // Downgrading forgets the reverted revision's checksum: re-applying an edited one is fine.
        try migrator.downgrade(to: "-1")
        var reedited = edited
        reedited[5] = sqlMigration("f6", parents: ["e5"], up: "CREATE TABLE later (id INTEGER PRIMARY KEY, note TEXT)", down: "DROP TABLE later")
        try db.migrator(reedited).upgrade()
        #expect(try db.migrator(reedited).check().checksumMismatches.isEmpty)
    }

    /// A version table from before checksums (no checksum table) keeps its history: the
    /// next upgrade creates the checksum table and records the applied migrations as they are.
    static func versionTablesFromBeforeChecksumsUpgradeInPlace<D: MigrationTestDatabase>(_ db: D) throws {
        let history = SampleHistory.migrations(D.migrationDialect)
        try db.migrator(history).upgrade(to: "c3")
        try db.write { connection in
            try LiveMigrationConnection(connection).execute("DROP TABLE driftless_version_checksums", arguments: [])
        }
        let migrator = try db.migrator(history)
        let before = try migrator.check()
        #expect(before.checksumMismatches.isEmpty)
        #expect(before.notes.contains { $0.contains("no recorded checksum") })
        #expect(try migrator.currentRevisions() == ["c3"])
        try migrator.upgrade()
        #expect(try migrator.currentRevisions() == ["e5"])
        #expect(try db.strings("SELECT name FROM driftless_version_checksums ORDER BY name") == ["a1", "b2", "c3", "d4", "e5"])
        #expect(try migrator.check().isClean)
    }

    /// Repeatable migrations run after the versioned ones, in name order, again only when
    /// their checksum changes; `check` reports one waiting; offline scripts include them.
    static func repeatableMigrationsRerunWhenChanged<D: MigrationTestDatabase>(_ db: D) throws {
        let history = SampleHistory.migrations(D.migrationDialect)
        func view(_ name: String, _ filter: String) -> Migration {
            Migration(repeatable: name, "view \(name)") { up in
                up.script("DROP VIEW IF EXISTS \(name)")
                up.script("CREATE VIEW \(name) AS SELECT id, name FROM users WHERE \(filter)")
            }
        }
        // b_view reads a_view's columns by name only, so name order is what makes it work.
        let first = history + [view("b_names", "id > 0"), view("a_pro", "plan = 'pro'")]
        let migrator = try db.migrator(first)
        let run = try migrator.upgrade()
        #expect(run.steps.map(\.revision.id) == ["a1", "b2", "c3", "d4", "e5", "a_pro", "b_names"])
        #expect(try db.strings("SELECT name FROM a_pro") == ["O'Brien"])
        #expect(try migrator.check().isClean)
        #expect(try migrator.upgrade().steps.isEmpty)

        let changed = history + [view("b_names", "id > 1"), view("a_pro", "plan = 'pro'")]
        let again = try db.migrator(changed)
        #expect(try again.check().pendingRepeatables == ["b_names"])
        #expect(try again.upgrade().steps.map(\.revision.id) == ["b_names"])
        #expect(try db.strings("SELECT name FROM b_names").isEmpty)

        let script = try OfflineMigrationScript<D>(graph: RevisionGraph(changed)).upgrade("heads")
        let versioned = try #require(script.range(of: "Running upgrade d4 -> e5"))
        let repeatable = try #require(script.range(of: "repeatable a_pro"))
        #expect(versioned.lowerBound < repeatable.lowerBound)
        #expect(script.contains("CREATE VIEW b_names"))
    }
}
