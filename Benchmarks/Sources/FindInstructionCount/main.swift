// Instruction counts of the synchronous hot path, for callgrind (load-independent, unlike
// wall clock): `find` by primary key, N times, from a synchronous main (valgrind 3.19
// crashes inside libdispatch under an async main). Run it with two values of N and
// subtract, so that setup cancels (BENCHMARKS.md, "Instruction counts"):
//
//     swift build -c release --product FindInstructionCount
//     objcopy --strip-debug .build/release/FindInstructionCount /tmp/find-count
//     valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.1000 /tmp/find-count 1000
//     valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.11000 /tmp/find-count 11000
//
// The second argument `raw` runs the raw C API instead, for the ratio; `async` runs the
// async find from a task (the synchronous main waits for it), counting every thread's
// instructions: the async form's own cost in user space (the kernel's context switches, the
// bulk of a hop's wall clock, are not counted).
import Driftless
import DriftlessSQLite
import Foundation
import Logging
import RawSQLite

struct Item: Record {
    var id: Int64
    var name: String
    var score: Double
    var note: String?

    static let schema = RecordSchema<Item>(table: "items") {
        Column("id", \.id, primaryKey: true)
        Column("name", \.name, default: "")
        Column("score", \.score, default: 0)
        Column("note", \.note)
    }

    init(id: Int64, name: String, score: Double, note: String?) {
        self.id = id
        self.name = name
        self.score = score
        self.note = note
    }

    init(row: Row) throws {
        id = try row.decode(at: 0)
        name = try row.decode(at: 1)
        score = try row.decode(at: 2)
        note = try row.decode(at: 3)
    }
}

let lookups = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 1000 : 1000
let mode = CommandLine.arguments.count > 2 ? CommandLine.arguments[2] : "blocking"
let path = FileManager.default.temporaryDirectory.appendingPathComponent("find-count-\(getpid()).sqlite").path
defer {
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
}
let rows = 1_000

let db = try SQLiteDatabase(path: path, configuration: SQLiteConfiguration(
    drift: DriftConfiguration(logger: Logger(label: "count") { _ in SwiftLogNoOpLogHandler() })))
let setup = db.blocking
try setup.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, score REAL NOT NULL, note TEXT)")
try setup.repository(Item.self).insert(contentsOf: (1...Int64(rows)).map { Item(id: $0, name: "item \($0)", score: Double($0), note: nil) })

nonisolated(unsafe) var found = 0
switch mode {
case "raw":
    var handle: OpaquePointer?
    sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE, nil)
    var statement: OpaquePointer?
    sqlite3_prepare_v3(handle, "SELECT id, name, score, note FROM items WHERE id = ?", -1, 1, &statement, nil)
    for index in 0..<lookups {
        sqlite3_bind_int64(statement, 1, Int64(index % rows + 1))
        if sqlite3_step(statement) == SQLITE_ROW {
            let name = String(cString: sqlite3_column_text(statement, 1))
            found += name.isEmpty ? 0 : 1
        }
        sqlite3_reset(statement)
    }
    sqlite3_finalize(statement)
    sqlite3_close(handle)
case "async":
    let items = db.repository(Item.self)
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        var count = 0
        for index in 0..<lookups {
            if try await items.find(Int64(index % rows + 1)) != nil { count += 1 }
        }
        found = count
        done.signal()
    }
    done.wait()
default:
    let items = setup.repository(Item.self)
    for index in 0..<lookups {
        if try items.find(Int64(index % rows + 1)) != nil { found += 1 }
    }
}
print(found)
