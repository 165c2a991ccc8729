import Driftless
import DriftlessSQLite
import Foundation

struct User: Record, Codable {
    var id: Int64
    var name: String
    var email: String?
    var plan: String          // new in this release; its migration may not have run yet

    static let schema = RecordSchema<User>(table: "users") {
        Column("id", \.id, primaryKey: true)
        Column("name", \.name, default: "")
        Column("email", \.email)                                      // optional: reads as nil
        Column("plan", \.plan, default: "free", onMissingWrite: .warn)
    }
}

// A scratch database as last year's migration left it: no `plan` column yet.
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("driftless-tour-\(UUID())")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: folder) }
let db = try SQLiteDatabase(path: folder.appendingPathComponent("app.sqlite").path)
try await db.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT)")

let users = db.repository(User.self)
try await users.insert(User(id: 1, name: "Ada", email: nil, plan: "free"))
try await users.insert(contentsOf: [                            // "pro" is dropped, with a warning
    User(id: 2, name: "Grace", email: "grace@example.com", plan: "pro"),
    User(id: 3, name: "Linus", email: nil, plan: "free"),
])
let ada = try await users.find(1)                                 // User? (plan reads as "free")
let page = try await users.fetchAll(User.filter(\.email != nil).order(.ascending(\.name)).limit(20))
let free = try await users.count(User.filter(\.plan == "free" && .like(\.name, "%a%")))
try await users.forEach(User.all()) { user in print(user.name) }  // a cursor, bounded memory
try await users.upsert(User(id: 1, name: "Ada L.", email: nil, plan: "free"))
try await users.delete(key: [3])
print(ada?.name ?? "nobody", page.map(\.name), free)

try await db.transaction { tx in                                  // commits, or rolls back on throw
    let users = tx.repository(User.self)
    var grace = try await users.find(2)!
    grace.email = nil
    try await users.update(grace)
}

print(try await db.driftReport(for: [User.self]))                  // what drifted, per record type

// The migration lands; within the catch-up interval (500 ms by default) plans return to the
// full query. `invalidateSchema()` does it at once.
try await db.execute("ALTER TABLE users ADD COLUMN plan TEXT NOT NULL DEFAULT 'free'")
db.invalidateSchema()
try await users.update(User(id: 2, name: "Grace", email: nil, plan: "pro"))
print(try await users.fetchAll().map { "\($0.name): \($0.plan)" })

// Scripts and tools: the same API, synchronous, on the calling thread (unavailable in async
// code such as this top level, hence the function).
func countUsers() throws -> Int { try db.blocking.repository(User.self).count() }
print("users:", try countUsers())
