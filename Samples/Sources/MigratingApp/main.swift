// An app that owns its migrations: `cd Samples && swift run MigratingApp`.
//
// Started plainly, it does what a server does at startup (migrate, fall back, tolerate) and
// then serves a few reads and writes. Started as `MigratingApp migrate ...`, it is the
// `driftless` command line with this app's Swift migrations and records built in:
//
//     swift run MigratingApp migrate history --database app.sqlite
//     swift run MigratingApp migrate upgrade --sql base:head --database postgres://localhost/app
import Driftless
import DriftlessCommandLine
import DriftlessMigrations
import DriftlessSQLite
import DriftlessSQLiteMigrations
import Foundation

struct User: Record, Codable {
    var id: Int64
    var name: String
    var plan: String

    static let schema = RecordSchema<User>(table: "users") {
        Column("id", \.id, primaryKey: true)
        Column("name", \.name, default: "")
        Column("plan", \.plan, default: "free")
    }
}

enum AppMigrations {
    static let all = [
        Migration("1975ea83b712", "create users") { up in
            up.createTable("users") {
                TableColumn("id", .integer, primaryKey: true)
                TableColumn("name", .text, nullable: false, default: "")
            }
        } downgrade: { down in
            down.dropTable("users")
        },
        Migration("ae1027a6acf4", "add plan", parents: ["1975ea83b712"]) { up in
            up.lockTimeout(.seconds(2))
            up.addColumn("plan", .text, to: "users", nullable: false, default: "free")
        } downgrade: { down in
            down.dropColumn("plan", from: "users")
        },
    ]
}

if CommandLine.arguments.dropFirst().first == "migrate" {
    await DriftlessCommand.main(migrations: AppMigrations.all, records: [User.self])
} else {
    try await serve()
}

/// What the app does when it starts as a server.
func serve() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("driftless-app-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let db = try SQLiteDatabase(path: folder.appendingPathComponent("app.sqlite").path)

    // Last release shipped only the first migration; this one brings the second.
    _ = try await Migrator(database: db, migrations: [AppMigrations.all[0]]).migrateToLatest()

    // Startup: migrate (one query when already at head; a lock otherwise, so that of many
    // instances starting together exactly one applies each migration), create missing tables if
    // migrating failed, then runtime tolerance for whatever drift remains.
    let migrator = try Migrator(database: db, migrations: AppMigrations.all)
    let report = try await migrator.prepareDatabase(records: [User.self], onMigrationFailure: .createMissingTables)
    print("applied at startup:", report.migration?.appliedRevisions ?? [])

    let users = db.repository(User.self)
    try await users.insert(User(id: 1, name: "Ada", plan: "pro"))
    print(try await users.fetchAll().map { "\($0.name): \($0.plan)" })

    // A second start finds the database at head and takes no lock.
    print("second start:", try await migrator.migrateToLatest())
}
