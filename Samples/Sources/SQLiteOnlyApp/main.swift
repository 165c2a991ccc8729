// A SQLite app that runs its migrations at startup and lints them, with no PostgreSQL in its
// build: `cd Samples && swift run SQLiteOnlyApp`. It imports the migration engine and
// SQLite's migrations module only, so it needs neither libpq's headers nor libpq itself.
import Driftless
import DriftlessMigrations
import DriftlessSQLite
import DriftlessSQLiteMigrations
import Foundation

struct Note: Record, Codable {
    var id: Int64
    var body: String
    var pinned: Bool

    static let schema = RecordSchema<Note>(table: "notes") {
        Column("id", \.id, primaryKey: true)
        Column("body", \.body, default: "")
        Column("pinned", \.pinned, default: false)
    }
}

let migrations = [
    Migration("5a1b2c3d4e5f", "create notes") { up in
        up.createTable("notes") {
            TableColumn("id", .integer, primaryKey: true)
            TableColumn("body", .text, nullable: false, default: "")
        }
    } downgrade: { down in
        down.dropTable("notes")
    },
    Migration("6b2c3d4e5f60", "pin notes", parents: ["5a1b2c3d4e5f"]) { up in
        up.addColumn("pinned", .boolean, to: "notes", nullable: false, default: false)
    } downgrade: { down in
        down.dropColumn("pinned", from: "notes")
    },
]

let folder = FileManager.default.temporaryDirectory.appendingPathComponent("driftless-sqlite-only-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: folder) }
let db = try SQLiteDatabase(path: folder.appendingPathComponent("notes.sqlite").path)

let findings = MigrationLinter(records: [Note.self], dialect: .sqlite).lint(migrations)
print("lint:", findings.isEmpty ? "no findings" : findings.map(\.description).joined(separator: "\n"))

let report = try Migrator(database: db, migrations: migrations).prepareDatabase(records: [Note.self])
print("applied at startup:", report.migration?.appliedRevisions ?? [])

let notes = db.blocking.repository(Note.self)
try notes.insert(Note(id: 1, body: "migrated without libpq", pinned: true))
print(try notes.fetchAll().map { "\($0.body) (pinned: \($0.pinned))" })
print(try OfflineMigrationScript<SQLiteDatabase>(graph: RevisionGraph(migrations)).upgrade("heads"))
