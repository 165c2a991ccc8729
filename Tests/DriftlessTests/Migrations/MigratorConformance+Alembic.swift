import Driftless
import DriftlessMigrations
import Foundation
import Testing

/// Where Driftless now does what Alembic does, on every backend.
extension MigratorConformance {
    /// Autogenerate with the database behind head refuses (Alembic: "Target database is not
    /// up to date") instead of writing again what a pending migration does.
    static func autogenerateRefusesWhileBehind<D: MigrationTestDatabase>(_ db: D) throws {
        let history = [
            sqlMigration("a1", up: "CREATE TABLE members (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT 'anonymous', "
                         + "age INTEGER NOT NULL DEFAULT 0, score REAL NOT NULL DEFAULT 1.5, active BOOLEAN NOT NULL DEFAULT TRUE)"),
            sqlMigration("b2", parents: ["a1"], up: "ALTER TABLE members ADD COLUMN email TEXT"),
        ]
        let migrator = try db.migrator(history)
        try migrator.upgrade(to: "a1")
        // Before the fix, this wrote `ADD COLUMN "email"` again after b2 (which adds it).
        #expect {
            try migrator.autogenerate(records: [Member.self])
        } throws: { error in
            guard let error = error as? MigrationError, error.code == .databaseNotUpToDate else { return false }
            return error.revisions == ["b2"] && "\(error)".contains("not up to date")
        }
        try migrator.upgrade()
        // At head, nothing that b2 adds is written again.
        #expect(try !migrator.autogenerate(records: [Member.self]).upgradeSQL.uppercased().contains("ADD COLUMN \"EMAIL\""))
    }

    /// A failing statement of a SQL file is named with its line in the file, not the file.
    static func failingStatementIsNamedWithItsLine<D: MigrationTestDatabase>(_ db: D) throws {
        let folder = TemporaryDirectory()
        let text = """
            -- revision: a1
            -- parents:
            -- upgrade

            CREATE TABLE first (id INTEGER PRIMARY KEY);
            CREATE TABLE second (id INTEGER PRIMARY KEY);
            INSERT INTO
              no_such_table (id) VALUES (1);
            CREATE TABLE third (id INTEGER PRIMARY KEY);
            -- downgrade
            """
        try text.write(toFile: folder.path("a1_broken.sql"), atomically: true, encoding: .utf8)
        let migrator = try db.migrator(MigrationDirectory(path: folder.url.path).migrations())
        #expect {
            try migrator.upgrade()
        } throws: { error in
            guard let error = error as? MigrationError, error.code == .migrationFailed else { return false }
            return error.line == 7 && error.path?.hasSuffix("a1_broken.sql") == true
                && error.statement?.contains("no_such_table") == true && error.statement?.contains("second") == false
                && "\(error)".contains("a1_broken.sql:7") && !"\(error)".contains("third")
        }
        #expect(try migrator.currentRevisions().isEmpty)

        // A Swift migration names the operation.
        let swift = Migration("s1", "two steps") { up in
            up.createTable("ok") { TableColumn("id", .integer, primaryKey: true) }
            up.execute("INSERT INTO missing_table (id) VALUES (1)")
        } downgrade: { _ in }
        #expect {
            try db.migrator([swift]).upgrade()
        } throws: { error in
            "\(error)".contains("operation 2 of 2") && "\(error)".contains("missing_table")
        }
    }

    /// Stamping one parent of a merge the database is at leaves that parent alone, as in Alembic.
    static func stampOneParentOfAMerge<D: MigrationTestDatabase>(_ db: D) throws {
        let history = [
            sqlMigration("a1"), sqlMigration("b2", parents: ["a1"]), sqlMigration("c3", parents: ["a1"]),
            sqlMigration("m4", parents: ["b2", "c3"]),
        ]
        let migrator = try db.migrator(history)
        try migrator.upgrade()
        #expect(try migrator.currentRevisions() == ["m4"])
        try migrator.stamp(["b2"])
        #expect(try migrator.currentRevisions() == ["b2"])
        try migrator.stamp(["c3"])
        #expect(try migrator.currentRevisions() == ["b2", "c3"])
        // The checksums follow the stamp: m4 is no longer applied.
        #expect(try db.strings("SELECT name FROM driftless_version_checksums ORDER BY name") == ["a1", "b2", "c3"])
    }
}
