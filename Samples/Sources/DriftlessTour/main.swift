// The README's API tour as a program: `cd Samples && swift run DriftlessTour`.
//
// `User.plan` ships in this release, but the migration that adds the column has not run on
// every database yet. The code reads and writes users all the same.
import Driftless
import DriftlessSQLite
import Foundation

struct User: Record, Codable {
    var id: Int64
    var name: String
    var email: String?
    var plan: String  // new in this release; the migration may not have run yet

    static let schema = RecordSchema<User>(table: "users") {
        Column("id", \.id, primaryKey: true)
        Column("name", \.name, default: "")
        Column("email", \.email)
        Column("plan", \.plan, default: "free", onMissingWrite: .warn)
    }
}

let folder = FileManager.default.temporaryDirectory.appendingPathComponent("driftless-tour-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: folder) }

let db = try SQLiteDatabase(path: folder.appendingPathComponent("app.sqlite").path)
// The database as last year's migration left it: no `plan` column.
try db.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT)")

let users = db.repository(User.self)

// Writes name only the columns that exist; a `plan` other than the default is dropped
// with a warning (the policy could also be .reject or .discard).
try users.insert(User(id: 1, name: "Ada", email: "ada@example.com", plan: "free"))
try users.insert(contentsOf: [
    User(id: 2, name: "Grace", email: nil, plan: "free"),
    User(id: 3, name: "Linus", email: "linus@example.com", plan: "pro"),
])

// Reads return every declared column; the missing one reads as its default.
let ada = try users.find(1)
print("found:", ada.map { "\($0.name) on plan \($0.plan)" } ?? "nobody")

// Queries: typed, bound, and drift-aware (a filter on `plan` compares its default).
let withEmail = try users.fetchAll(User.filter(\.email != nil).order(.ascending(\.name)))
print("with email:", withEmail.map(\.name))
print("on free:", try users.count(User.filter(\.plan == "free")))
print("A or G:", try users.fetchAll(User.filter(.like(\.name, "A%") || .like(\.name, "G%"))).map(\.name))

// Transactions.
try db.transaction { tx in
    let users = tx.repository(User.self)
    var grace = try users.find(2)!
    grace.email = "grace@example.com"
    try users.update(grace)
}

// What drifted, per record type.
print(try db.driftReport(for: [User.self]))

// The migration lands; within the catch-up interval (500 ms by default) plans return to
// the full query. `invalidateSchema()` does it at once.
try db.execute("ALTER TABLE users ADD COLUMN plan TEXT NOT NULL DEFAULT 'free'")
db.invalidateSchema()
try users.update(User(id: 3, name: "Linus", email: "linus@example.com", plan: "pro"))
print("after migration:", try users.fetchAll().map { "\($0.name): \($0.plan)" })

// The async API runs the same work off Swift's cooperative pool.
let total = try await users.count()
print("total users:", total)
