// The README tour's shape: `try await users.find(1)` in top-level code, where Swift resolved
// a same-name overload pair to the synchronous member (it cannot tell yet that top-level code
// is async). Exits 0 when every read and write ran its C-facing steps off the cooperative
// pool, 1 otherwise (the tests run it: `TopLevelAwaitTests`).
import Driftless
import DriftlessSQLite
import Foundation
import Synchronization

struct User: Record {
    var id: Int64
    var name: String

    /// Where each record was decoded or encoded: on a backend thread, with no task running.
    static let sites = Mutex<[Bool]>([])
    static func note() {
        let offPool = BackendThread.isCurrent && withUnsafeCurrentTask { $0 == nil }
        sites.withLock { $0.append(offPool) }
    }

    var encodedName: String {
        User.note()
        return name
    }

    static let schema = RecordSchema<User>(table: "users") {
        Column("id", \.id, primaryKey: true)
        Column("name", \.encodedName, default: "")
    }

    init(id: Int64, name: String) {
        self.id = id
        self.name = name
    }

    init(row: Row) throws {
        id = try row.decode(at: 0)
        name = try row.decode(at: 1)
        User.note()
    }
}

let folder = FileManager.default.temporaryDirectory.appendingPathComponent("driftless-top-level-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: folder) }

let db = try SQLiteDatabase(path: folder.appendingPathComponent("app.sqlite").path)
try await db.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
let users = db.repository(User.self)
try await users.insert(User(id: 1, name: "Ada"))
let ada = try await users.find(1)
let all = try await users.fetchAll()
try await db.transaction { tx in try await tx.repository(User.self).update(User(id: 1, name: "Ada L.")) }

let sites = User.sites.withLock { $0 }
print("found: \(ada?.name ?? "nobody"), \(all.count) user(s); \(sites.filter { $0 }.count) of \(sites.count) steps off the cooperative pool")
exit(ada != nil && !sites.isEmpty && sites.allSatisfy { $0 } ? 0 : 1)
