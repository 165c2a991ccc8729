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
try await db.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT)")

// Every call is async: it waits for a connection without blocking a thread and runs SQLite
// on a thread of the connection's own, never on Swift's cooperative pool.
let users = db.repository(User.self)

// Writes name only the columns that exist; a `plan` other than the default is dropped
// with a warning (the policy could also be .reject or .discard).
try await users.insert(User(id: 1, name: "Ada", email: "ada@example.com", plan: "free"))
try await users.insert(contentsOf: [
    User(id: 2, name: "Grace", email: nil, plan: "free"),
    User(id: 3, name: "Linus", email: "linus@example.com", plan: "pro"),
])

// Reads return every declared column; the missing one reads as its default.
let ada = try await users.find(1)
print("found:", ada.map { "\($0.name) on plan \($0.plan)" } ?? "nobody")

// Queries: typed, bound, and drift-aware (a filter on `plan` compares its default).
let withEmail = try await users.fetchAll(User.filter(\.email != nil).order(.ascending(\.name)))
print("with email:", withEmail.map(\.name))
print("on free:", try await users.count(User.filter(\.plan == "free")))
print("A or G:", try await users.fetchAll(User.filter(.like(\.name, "A%") || .like(\.name, "G%"))).map(\.name))

// Transactions, with an async body: committed if it returns, rolled back if it throws.
try await db.transaction { tx in
    let users = tx.repository(User.self)
    var grace = try await users.find(2)!
    grace.email = "grace@example.com"
    try await users.update(grace)
}

// Cancelling a task stops its wait for a connection, or interrupts its running statement.
let slow = Task { try await db.execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c") }
try await Task.sleep(for: .milliseconds(50))
slow.cancel()
do {
    try await slow.value
} catch let error as DriftlessError where error.code == .cancelled {
    print("cancelled:", error)
}

// What drifted, per record type.
print(try await db.driftReport(for: [User.self]))

// The migration lands; within the catch-up interval (500 ms by default) plans return to
// the full query. `invalidateSchema()` does it at once.
try await db.execute("ALTER TABLE users ADD COLUMN plan TEXT NOT NULL DEFAULT 'free'")
db.invalidateSchema()
try await users.update(User(id: 3, name: "Linus", email: "linus@example.com", plan: "pro"))
print("after migration:", try await users.fetchAll().map { "\($0.name): \($0.plan)" })

// Scripts and tools use the same API synchronously, on the calling thread: `db.blocking`.
// (It is unavailable in async code, like this top level, so it lives in a function.)
func countUsersBlocking() throws -> Int {
    try db.blocking.repository(User.self).count()
}
print("total users:", try countUsersBlocking())
