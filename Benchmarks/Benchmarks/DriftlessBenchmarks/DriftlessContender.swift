import Driftless
import DriftlessSQLite
import Logging

// Driftless records for the two shapes. Both decode by column index (`row.decode(at:)`),
// the path the documentation recommends for speed.

extension Item: Driftless.Record {
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
}

extension DriftedItem: Driftless.Record {
    static let schema = RecordSchema<DriftedItem>(table: "items") {
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
        Column("plan", \.plan, default: "free")
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
        plan = try row.decode(at: 10)
    }
}

/// A Driftless database on a benchmark file. Drift is logged through a no-op handler: the
/// benchmarks measure the library, not a terminal (see BENCHMARKS.md).
func openDriftless(path: String, readers: Int = 4) throws -> SQLiteDatabase {
    let logger = Logger(label: "driftless-bench") { _ in SwiftLogNoOpLogHandler() }
    return try SQLiteDatabase(path: path, configuration: SQLiteConfiguration(
        maximumReaderCount: readers, drift: DriftConfiguration(logger: logger)))
}

/// Checks that a repository's read plan is in the expected mode, so that a benchmark
/// cannot silently measure the wrong path.
func expectPlanMode<R: Driftless.Record>(_ repository: BlockingRepository<R, SQLiteDatabase>, projected: Bool) throws {
    let mode = try repository.planMode()
    guard mode.isDrifted == projected else {
        throw BenchmarkFailure("\(R.self): expected a \(projected ? "projected" : "full") plan, got \(mode)")
    }
}

/// `Item` through Driftless's `Decodable` path (synthesized `init(from:)`), to compare with
/// the `init(row:)` path on the same rows.
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

    var item: Item {
        Item(id: id, name: name, email: email, age: age, score: score, city: city, country: country,
             visits: visits, balance: balance, note: note)
    }
}
