// Instruction counts of fetch one by primary key, for callgrind (load-independent, unlike
// wall clock): N lookups from a synchronous main (valgrind 3.19 crashes inside libdispatch
// under an async main), on the 10-column `items` table of the SQLite benchmarks, every
// contender decoding every column into the same fields, one autocommit statement per lookup.
// `count-instructions.sh` runs each contender with two values of N and subtracts, so that
// setup cancels (BENCHMARKS.md, "Instruction counts"):
//
//     FindInstructionCount N raw         the C API, statement prepared once
//     FindInstructionCount N grdb        GRDB 7.10 cached statement, FetchableRecord by index
//     FindInstructionCount N full        Driftless blocking find, init(row:)
//     FindInstructionCount N projected   the same for a record declaring a column the table lacks
//     FindInstructionCount N codable     Driftless blocking find, Decodable record
//     FindInstructionCount N async       Driftless async find from one task (every thread counted)
//     FindInstructionCount N scan-raw     N scans of all 1,000 rows through the C API (and
//                                        scan-full, scan-codable, scan-grdb: fetchAll)
import Driftless
import DriftlessSQLite
import Foundation
import GRDB
import Logging
import RawSQLite

struct Item: Driftless.Record, Equatable {
    var id: Int64
    var name: String
    var email: String?
    var age: Int64
    var score: Double
    var city: String
    var country: String
    var visits: Int64
    var balance: Double
    var note: String?

    static let schema = RecordSchema<Item>(table: "items") {
        Column("id", \.id, primaryKey: true)
        Column("name", \.name, default: "")
        Column("email", \.email)
        Column("age", \.age, default: 0)
        Column("score", \.score, default: 0)
        Column("city", \.city, default: "")
        Column("country", \.country, default: "")
        Column("visits", \.visits, default: 0)
        Column("balance", \.balance, default: 0)
        Column("note", \.note)
    }

    init(id: Int64, name: String, email: String?, age: Int64, score: Double, city: String, country: String,
         visits: Int64, balance: Double, note: String?) {
        (self.id, self.name, self.email, self.age, self.score) = (id, name, email, age, score)
        (self.city, self.country, self.visits, self.balance, self.note) = (city, country, visits, balance, note)
    }

    init(row: Driftless.Row) throws {
        id = try row.decode(at: 0)
        name = try row.decode(at: 1)
        email = try row.decode(at: 2)
        age = try row.decode(at: 3)
        score = try row.decode(at: 4)
        city = try row.decode(at: 5)
        country = try row.decode(at: 6)
        visits = try row.decode(at: 7)
        balance = try row.decode(at: 8)
        note = try row.decode(at: 9)
    }

    static func sample(_ i: Int) -> Item {
        Item(id: Int64(i), name: "user \(i)", email: i % 3 == 0 ? nil : "user\(i)@example.com", age: Int64(18 + i % 60),
             score: Double(i % 1000) / 7, city: "Paris", country: "FR", visits: Int64(i * 7 % 1000),
             balance: Double(i) * 1.25, note: i % 5 == 0 ? "a short note about user \(i)" : nil)
    }
}

/// `Item` as newer code declares it: `plan` is missing from the table (a projected plan).
struct DriftedItem: Driftless.Record {
    var item: Item
    var plan: String

    static let schema = RecordSchema<DriftedItem>(table: "items") {
        Column("id", \.item.id, primaryKey: true)
        Column("name", \.item.name, default: "")
        Column("email", \.item.email)
        Column("age", \.item.age, default: 0)
        Column("score", \.item.score, default: 0)
        Column("city", \.item.city, default: "")
        Column("country", \.item.country, default: "")
        Column("visits", \.item.visits, default: 0)
        Column("balance", \.item.balance, default: 0)
        Column("note", \.item.note)
        Column("plan", \.plan, default: "free")
    }

    init(row: Driftless.Row) throws {
        item = try Item(row: row)
        plan = try row.decode(at: 10)
    }
}

/// `Item` through the `Decodable` path.
struct CodableItem: Driftless.Record, Codable {
    var id: Int64
    var name: String
    var email: String?
    var age: Int64
    var score: Double
    var city: String
    var country: String
    var visits: Int64
    var balance: Double
    var note: String?

    static let schema = RecordSchema<CodableItem>(table: "items") {
        Column("id", \.id, primaryKey: true)
        Column("name", \.name, default: "")
        Column("email", \.email)
        Column("age", \.age, default: 0)
        Column("score", \.score, default: 0)
        Column("city", \.city, default: "")
        Column("country", \.country, default: "")
        Column("visits", \.visits, default: 0)
        Column("balance", \.balance, default: 0)
        Column("note", \.note)
    }
}

/// GRDB's fastest read path: a cached statement, decoded by index.
struct GRDBItem: FetchableRecord {
    var item: Item
    init(row: GRDB.Row) {
        item = Item(id: row[0], name: row[1], email: row[2], age: row[3], score: row[4], city: row[5],
                    country: row[6], visits: row[7], balance: row[8], note: row[9])
    }
}

let lookups = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 1000 : 1000
let mode = CommandLine.arguments.count > 2 ? CommandLine.arguments[2] : "full"
let path = FileManager.default.temporaryDirectory.appendingPathComponent("find-count-\(getpid()).sqlite").path
defer {
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
}
let rows = 1_000
let selectByKey = "SELECT id, name, email, age, score, city, country, visits, balance, note FROM items WHERE id = ?"

let db = try SQLiteDatabase(path: path, configuration: SQLiteConfiguration(
    drift: DriftConfiguration(logger: Logger(label: "count") { _ in SwiftLogNoOpLogHandler() })))
let setup = db.blocking
try setup.execute("""
    CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT, age INTEGER NOT NULL,
        score REAL NOT NULL, city TEXT NOT NULL, country TEXT NOT NULL, visits INTEGER NOT NULL,
        balance REAL NOT NULL, note TEXT)
    """)
try setup.repository(Item.self).insert(contentsOf: (1...rows).map(Item.sample))

/// The key of lookup `index`: every row in turn.
func key(_ index: Int) -> Int64 { Int64(index % rows + 1) }

func text(_ statement: OpaquePointer?, _ column: Int32) -> String? {
    guard let text = sqlite3_column_text(statement, column) else { return nil }
    return String(cString: text)
}

nonisolated(unsafe) var found = 0
var expected = lookups
switch mode {
case "scan-raw", "scan-full", "scan-codable", "scan-grdb":
    expected = lookups * rows
    var handle: OpaquePointer?
    sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE, nil)
    var statement: OpaquePointer?
    sqlite3_prepare_v3(handle, "SELECT id, name, email, age, score, city, country, visits, balance, note FROM items", -1, 1, &statement, nil)
    var configuration = Configuration()
    configuration.journalMode = .wal
    let queue = try DatabaseQueue(path: path, configuration: configuration)
    for _ in 0..<lookups {
        switch mode {
        case "scan-raw":
            var items: [Item] = []
            while sqlite3_step(statement) == SQLITE_ROW {
                items.append(Item(
                    id: sqlite3_column_int64(statement, 0), name: text(statement, 1) ?? "", email: text(statement, 2),
                    age: sqlite3_column_int64(statement, 3), score: sqlite3_column_double(statement, 4),
                    city: text(statement, 5) ?? "", country: text(statement, 6) ?? "",
                    visits: sqlite3_column_int64(statement, 7), balance: sqlite3_column_double(statement, 8),
                    note: text(statement, 9)))
            }
            sqlite3_reset(statement)
            found += items.count
        case "scan-grdb":
            try queue.inDatabase { database in
                let statement = try database.cachedStatement(sql: "SELECT id, name, email, age, score, city, country, visits, balance, note FROM items")
                found += try GRDBItem.fetchAll(statement).count
            }
        case "scan-codable":
            found += try setup.repository(CodableItem.self).fetchAll().count
        default:
            found += try setup.repository(Item.self).fetchAll().count
        }
    }
    sqlite3_finalize(statement)
    sqlite3_close(handle)
case "raw":
    var handle: OpaquePointer?
    sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE, nil)
    var statement: OpaquePointer?
    sqlite3_prepare_v3(handle, selectByKey, -1, 1, &statement, nil)
    for index in 0..<lookups {
        sqlite3_bind_int64(statement, 1, key(index))
        if sqlite3_step(statement) == SQLITE_ROW {
            let item = Item(
                id: sqlite3_column_int64(statement, 0), name: text(statement, 1) ?? "", email: text(statement, 2),
                age: sqlite3_column_int64(statement, 3), score: sqlite3_column_double(statement, 4),
                city: text(statement, 5) ?? "", country: text(statement, 6) ?? "",
                visits: sqlite3_column_int64(statement, 7), balance: sqlite3_column_double(statement, 8),
                note: text(statement, 9))
            found += item.name.isEmpty ? 0 : 1
        }
        sqlite3_reset(statement)
    }
    sqlite3_finalize(statement)
    sqlite3_close(handle)
case "grdb":
    var configuration = Configuration()
    configuration.journalMode = .wal
    let queue = try DatabaseQueue(path: path, configuration: configuration)
    try queue.inDatabase { database in
        for index in 0..<lookups {
            let statement = try database.cachedStatement(sql: selectByKey)
            if try GRDBItem.fetchOne(statement, arguments: [key(index)]) != nil { found += 1 }
        }
    }
case "async":
    let items = db.repository(Item.self)
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        var count = 0
        for index in 0..<lookups {
            if try await items.find(key(index)) != nil { count += 1 }
        }
        found = count
        done.signal()
    }
    done.wait()
case "projected":
    let items = setup.repository(DriftedItem.self)
    for index in 0..<lookups {
        if try items.find(key(index)) != nil { found += 1 }
    }
case "codable":
    let items = setup.repository(CodableItem.self)
    for index in 0..<lookups {
        if try items.find(key(index)) != nil { found += 1 }
    }
default:
    let items = setup.repository(Item.self)
    for index in 0..<lookups {
        if try items.find(key(index)) != nil { found += 1 }
    }
}
guard found == expected else { fatalError("found \(found) of \(expected)") }
print(found)
