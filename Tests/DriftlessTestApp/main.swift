import ArgumentParser
import Driftless
import DriftlessCommandLine
import DriftlessMigrations
import DriftlessPostgres
import DriftlessPostgresMigrations
import DriftlessSQLite
import DriftlessSQLiteMigrations
import Foundation

// An app embedding the migration commands with Swift migrations and records of its own, as
// the README describes. The tests run it as separate processes: several starting at once
// (`startup`), one killed in the middle of a slow migration, and the CLI end to end.

/// The app's record: `tag` and its index are declared but no migration adds them (drift for
/// `check`, and what `revision --autogenerate` writes).
struct Item: Record, Codable {
    var id: Int64
    var name: String
    var note: String
    var tag: String

    static let schema = RecordSchema<Item>(table: "items", indexes: [RecordIndex("items_tag", on: ["tag"])]) {
        Column("id", \.id, primaryKey: true)
        Column("name", \.name, default: "")
        Column("note", \.note, default: "")
        Column("tag", \.tag, default: "none")
    }
}

enum AppMigrations {
    /// Sleeps `DRIFTLESS_TEST_SLOW_SECONDS` (default 0) inside the migration's transaction,
    /// after its DDL and data steps: long enough for a test to kill the process there.
    static let pause = SchemaOperation.custom(name: "pause") { _ in
        let seconds = Double(ProcessInfo.processInfo.environment["DRIFTLESS_TEST_SLOW_SECONDS"] ?? "") ?? 0
        if seconds > 0 {
            FileHandle.standardError.write(Data("pausing in migration\n".utf8))
            Thread.sleep(forTimeInterval: seconds)
        }
    }

    /// Logs which process applied the migration. Custom code, so that the pid is not part of
    /// the migration's checksum (SQL holding it would differ in every process).
    static func logged(_ id: String) -> SchemaOperation {
        .custom(name: "log \(id)") { connection in
            try connection.execute("INSERT INTO applied_log (revision, pid) VALUES ('\(id)', \(ProcessInfo.processInfo.processIdentifier))",
                                   arguments: [])
        }
    }

    static let all: [Migration] = [
        Migration(revision: Revision(id: "app001", message: "create items"),
                  upgrade: [.script("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)"),
                            .script("CREATE TABLE applied_log (revision TEXT NOT NULL, pid INTEGER NOT NULL)"), logged("app001")],
                  downgrade: [.script("DROP TABLE applied_log"), .script("DROP TABLE items")]),
        Migration(revision: Revision(id: "app002", message: "add note (slow)", parents: ["app001"]),
                  upgrade: [.script("ALTER TABLE items ADD COLUMN note TEXT NOT NULL DEFAULT ''"), logged("app002"), pause],
                  downgrade: [.script("ALTER TABLE items DROP COLUMN note")]),
        Migration(revision: Revision(id: "app003", message: "seed", parents: ["app002"]),
                  upgrade: [.script("INSERT INTO items (id, name, note) VALUES (1, 'first', 'seeded')"), logged("app003")],
                  downgrade: [.script("DELETE FROM items WHERE id = 1")]),
    ]
}

/// `startup --database URL`: the documented startup call, printing what this process applied.
struct StartupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "startup", abstract: "Migrate at startup, as the app does.")

    @Option var database: String
    /// Waits until this Unix time first, so that many processes start at the same moment.
    @Option var startAt: Double = 0

    func run() throws {
        waitUntil(startAt)
        let applied: [String]
        if database.hasPrefix("postgres") {
            let db = try PostgresDatabase(url: database)
            defer { db.close() }
            applied = try Migrator(database: db, migrations: AppMigrations.all).prepareDatabase(records: [Item.self])
                .migration?.appliedRevisions ?? []
        } else {
            let db = try SQLiteDatabase(path: database)
            applied = try Migrator(database: db, migrations: AppMigrations.all).prepareDatabase(records: [Item.self])
                .migration?.appliedRevisions ?? []
        }
        print("applied: \(applied.joined(separator: ","))")
    }
}

/// `open-sqlite --path P [--start-at T]`: opens a SQLite database (waiting until the Unix time
/// T first, so that many processes open a new file at the same moment) and writes to it.
struct OpenSQLiteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "open-sqlite", abstract: "Open a SQLite file and write to it.")

    @Option var path: String
    @Option var startAt: Double = 0

    func run() throws {
        waitUntil(startAt)
        let db = try SQLiteDatabase(path: path)
        try db.blocking.execute("CREATE TABLE IF NOT EXISTS opened (pid INTEGER)")
        try db.blocking.execute("INSERT INTO opened (pid) VALUES (?)", arguments: [.integer(Int64(ProcessInfo.processInfo.processIdentifier))])
        print("opened")
    }
}

/// Sleeps until a Unix time (none when it has passed).
func waitUntil(_ time: Double) {
    let wait = time - Date().timeIntervalSince1970
    if wait > 0 { Thread.sleep(forTimeInterval: wait) }
}

struct TestApp: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "driftless-test-app", subcommands: [MigrateCommand.self, StartupCommand.self, OpenSQLiteCommand.self])
}

await DriftlessCommandContext(migrations: AppMigrations.all, records: [Item.self]).withValue {
    TestApp.main()
}
