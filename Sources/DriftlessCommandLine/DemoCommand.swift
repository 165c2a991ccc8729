import ArgumentParser
import Driftless
import DriftlessPostgres
import DriftlessSQLite
import Foundation
import Logging

/// `driftless demo`: the drift story, end to end, on a scratch SQLite file or a PostgreSQL server.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Read and write an old-schema table through a newer record, then migrate it."
    )

    @Option(name: .long, help: ArgumentHelp(
        "A SQLite file or a postgres:// URL (default: a new SQLite file in a temporary folder).",
        discussion: "The demo replaces its own table, driftless_demo_users, and touches nothing else."))
    var database: String?

    /// The record as the newest code declares it: `plan` shipped ahead of its migration.
    struct User: Record, Codable, Equatable {
        var id: Int64
        var name: String
        var email: String?
        var plan: String

        static let schema = RecordSchema<User>(table: "driftless_demo_users") {
            Column("id", \.id, primaryKey: true)
            Column("name", \.name, default: "")
            Column("email", \.email)
            Column("plan", \.plan, default: "free", onMissingWrite: .keep)
        }
    }

    /// The same table as stored, overflow included, to show where values are.
    struct StoredUser: Record, Codable {
        var id: Int64
        var plan: String
        var driftlessOverflow: String?

        static let schema = RecordSchema<StoredUser>(table: "driftless_demo_users", overflowColumn: "driftless_none") {
            Column("id", \.id, primaryKey: true)
            Column("plan", \.plan, default: "free")
            Column("driftless_overflow", \.driftlessOverflow)
        }
    }

    func run() async throws {
        var logger = Logger(label: "driftless") { _ in DemoLogHandler() }
        logger.logLevel = .notice
        let drift = DriftConfiguration(catchUpInterval: .milliseconds(100), logger: logger)
        // A scratch file lives in a folder of its own, removed at the end; a file the user
        // names must be in a folder that exists (the demo creates no folders of theirs).
        let scratch = database == nil ? Self.scratchFolder() : nil
        let location = try database.map(DatabaseLocation.init)
            ?? .sqlite(path: scratch!.appendingPathComponent("demo.sqlite").path)
        switch location {
        case .sqlite(let path):
            if let scratch {
                try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            } else {
                try location.checkFolderExists()
            }
            defer { if let scratch { try? FileManager.default.removeItem(at: scratch) } }
            let db = try SQLiteDatabase(path: path, configuration: SQLiteConfiguration(drift: drift))
            try await tell(on: db, at: path, idType: "INTEGER", overflowType: "TEXT")
            print(scratch == nil ? "\nThe table driftless_demo_users is left at \(path)." : "\nThe scratch database is removed.")
        case .postgres, .postgresKeywords, .postgresEnvironment:
            let db = try PostgresDatabase(configuration: location.postgresConfiguration(maximumConnectionCount: 8, drift: drift)!)
            defer { db.close() }
            try await tell(on: db, at: location.description, idType: "bigint", overflowType: "jsonb")
            print("\nThe table driftless_demo_users is left at \(location.description).")
        }
    }

    private static func scratchFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("driftless-demo-\(UUID().uuidString.prefix(8))")
    }

    /// The story, the same on every backend: `db.execute` runs SQL behind the repository's
    /// back, as another app version or a migration would.
    private func tell<Database: DatabaseDriver>(
        on db: Database, at location: String, idType: String, overflowType: String
    ) async throws {
        let users = db.repository(User.self)

        step(1, "An old database: the table has no \"plan\" column yet, only an overflow column")
        print("  that an earlier release added for values written ahead of their migration.")
        let oldSchema = "CREATE TABLE driftless_demo_users (id \(idType) PRIMARY KEY, name TEXT NOT NULL, email TEXT, driftless_overflow \(overflowType))"
        try await db.execute("DROP TABLE IF EXISTS driftless_demo_users")
        try await db.execute(oldSchema)
        try await db.execute("INSERT INTO driftless_demo_users (id, name, email) VALUES (1, 'Ada', 'ada@example.com'), (2, 'Grace', NULL), (3, 'Linus', 'linus@example.com')")
        print("  \(location)")
        print("  \(oldSchema)")

        step(2, "New code reads it. The full query fails with an undefined-column error;")
        print("  Driftless reflects the table and retries with 'free' AS \"plan\". No error reaches you:\n")
        print(table(try await users.fetchAll(User.order(.ascending(\.id)))).indented)

        step(3, "New code writes Margaret on plan \"pro\". The column is missing, and its write policy is")
        print("  .keep: the value goes into driftless_overflow, and reads give it back:\n")
        try await users.insert(User(id: 4, name: "Margaret", email: nil, plan: "pro"))
        try await users.insert(User(id: 5, name: "Barbara", email: "barbara@example.com", plan: "free"))
        print(table(try await users.fetchAll(User.filter(\.id >= 4).order(.ascending(\.id)))).indented)
        print("\n  (with .warn the value would have been dropped with a warning; with .reject, refused)")

        step(4, "Filters on the missing column see the kept value, and the default for every other row:\n")
        print("  users where plan = 'free': \(try await users.count(User.filter(\.plan == "free")))")
        print("  users where plan = 'pro':  \(try await users.count(User.filter(\.plan == "pro")))")

        step(5, "The drift report:\n")
        print(try await db.driftReport(for: [User.self]).description.indented)

        step(6, "The migration runs (here, by hand), then the kept values move into the new column")
        print("  (the migrator does this itself after it applies a migration; `driftless migrate")
        print("  backfill` does it on demand):")
        let migration = "ALTER TABLE driftless_demo_users ADD COLUMN plan TEXT NOT NULL DEFAULT 'free'"
        try await db.execute(migration)
        print("  \(migration)")
        let moved = try await db.moveOverflowValues(for: [User.self]).reduce(0) { $0 + $1.values }
        print("  moved \(moved) value(s) from driftless_overflow into their columns")
        let stored = try await db.repository(StoredUser.self).find(Int64(4))
        print("  stored for Margaret: plan = '\(stored?.plan ?? "?")', driftless_overflow = \(stored?.driftlessOverflow ?? "NULL")")
        try await Task.sleep(for: .milliseconds(150))
        _ = try await users.fetchAll()
        print("  Within the catch-up interval, the plan is back on the full query: \(try await users.planMode())")

        step(7, "Writes now store every value in its column. Grace moves to plan \"team\":\n")
        try await users.update(User(id: 2, name: "Grace", email: nil, plan: "team"))
        print(table(try await users.fetchAll(User.order(.ascending(\.id)))).indented)
        print()
        print(try await db.driftReport(for: [User.self]).description.indented)
        print("""

            Next: write the migration as a revision (`driftless migrate revision -m "add plan"`),
            apply it with `driftless migrate upgrade` or at startup with Migrator.prepareDatabase,
            and read the README's "Zero-downtime rollouts" guide for renames, backfills and the
            fleet check before dropping a column.
            """)
    }

    private func step(_ number: Int, _ text: String) {
        print("\n\(number). \(text)")
    }

    private func table(_ users: [User]) -> String {
        TextTable(header: ["id", "name", "email", "plan"],
                  rows: users.map { ["\($0.id)", $0.name, $0.email ?? "NULL", $0.plan] }).description
    }
}
