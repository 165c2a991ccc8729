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
            Column("plan", \.plan, default: "free")
        }
    }

    func run() async throws {
        var logger = Logger(label: "driftless") { _ in DemoLogHandler() }
        logger.logLevel = .notice
        let drift = DriftConfiguration(catchUpInterval: .milliseconds(100), logger: logger)
        let location = try database.map(DatabaseLocation.init) ?? .sqlite(path: Self.scratchPath())
        switch location {
        case .sqlite(let path):
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let db = try SQLiteDatabase(path: path, configuration: SQLiteConfiguration(drift: drift))
            try await tell(on: db, at: path, idType: "INTEGER")
        case .postgres, .postgresKeywords, .postgresEnvironment:
            let db = try PostgresDatabase(configuration: location.postgresConfiguration(maximumConnectionCount: 8, drift: drift)!)
            defer { db.close() }
            try await tell(on: db, at: location.description, idType: "bigint")
        }
    }

    private static func scratchPath() -> String {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("driftless-demo-\(UUID().uuidString.prefix(8))")
            .appendingPathComponent("demo.sqlite").path
    }

    /// The story, the same on every backend: `db.execute` runs SQL behind the repository's
    /// back, as another app version or a migration would.
    private func tell<Database: DatabaseDriver>(on db: Database, at location: String, idType: String) async throws {
        let users = db.repository(User.self)

        step(1, "An old database: the table has no \"plan\" column yet.")
        let oldSchema = "CREATE TABLE driftless_demo_users (id \(idType) PRIMARY KEY, name TEXT NOT NULL, email TEXT)"
        try await db.execute("DROP TABLE IF EXISTS driftless_demo_users")
        try await db.execute(oldSchema)
        try await db.execute("INSERT INTO driftless_demo_users (id, name, email) VALUES (1, 'Ada', 'ada@example.com'), (2, 'Grace', NULL), (3, 'Linus', 'linus@example.com')")
        print("  \(location)")
        print("  \(oldSchema)")

        step(2, "New code reads it. The full query fails with an undefined-column error;")
        print("  Driftless reflects the table and retries with 'free' AS \"plan\". No error reaches you:\n")
        print(table(try await users.fetchAll(User.order(.ascending(\.id)))).indented)

        step(3, "New code writes. A value for the missing column is dropped, with a warning:\n")
        try await users.insert(User(id: 4, name: "Margaret", email: nil, plan: "pro"))
        try await users.insert(User(id: 5, name: "Barbara", email: "barbara@example.com", plan: "free"))
        print()
        print(table(try await users.fetchAll(User.filter(\.id >= 4))).indented)

        step(4, "Filters on the missing column compare its default, as if every row held it:\n")
        print("  users where plan = 'free': \(try await users.count(User.filter(\.plan == "free")))")
        print("  users where plan = 'pro':  \(try await users.count(User.filter(\.plan == "pro")))")

        step(5, "The drift report:\n")
        print(try await db.driftReport(for: [User.self]).description.indented)

        step(6, "The migration runs (here, by hand):")
        let migration = "ALTER TABLE driftless_demo_users ADD COLUMN plan TEXT NOT NULL DEFAULT 'free'"
        try await db.execute(migration)
        print("  \(migration)\n")
        try await Task.sleep(for: .milliseconds(150))
        _ = try await users.fetchAll()
        print("  Within the catch-up interval, the plan is back on the full query: \(try await users.planMode())")
        try await users.update(User(id: 4, name: "Margaret", email: nil, plan: "pro"))
        print("  Writes now keep every value:\n")
        print(table(try await users.fetchAll(User.order(.ascending(\.id)))).indented)
        print()
        print(try await db.driftReport(for: [User.self]).description.indented)
        print("\nDone. The table driftless_demo_users is left at \(location)")
    }

    private func step(_ number: Int, _ text: String) {
        print("\n\(number). \(text)")
    }

    private func table(_ users: [User]) -> String {
        TextTable(header: ["id", "name", "email", "plan"],
                  rows: users.map { ["\($0.id)", $0.name, $0.email ?? "NULL", $0.plan] }).description
    }
}
