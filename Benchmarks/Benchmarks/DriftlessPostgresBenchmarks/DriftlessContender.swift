import Driftless
import DriftlessPostgres
import Logging

// Driftless records for the two shapes, declared as in the SQLite benchmarks. Both decode by
// column index (`row.decode(at:)`), the path the documentation recommends for speed.

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

typealias Items = BlockingRepository<Item, PostgresDatabase>
typealias DriftedItems = BlockingRepository<DriftedItem, PostgresDatabase>
typealias AsyncItems = Repository<Item, PostgresDatabase>
typealias AsyncDriftedItems = Repository<DriftedItem, PostgresDatabase>

/// A Driftless database on a benchmark's schema, with the default configuration (pool of 8,
/// named prepared statements, the `driftless_schema` LISTEN connection, catch-up every
/// 500 ms). Drift is logged through a no-op handler: the benchmarks measure the library, not
/// a terminal.
func openDriftless(_ schema: BenchSchema) throws -> PostgresDatabase {
    let logger = Logger(label: "driftless-bench") { _ in SwiftLogNoOpLogHandler() }
    return try PostgresDatabase(configuration: PostgresConfiguration(
        parameters: schema.parameters, drift: DriftConfiguration(logger: logger)))
}

/// Runs blocking work from an `async` setup hook, where the blocking API is unavailable.
func synchronously<T>(_ body: () throws -> T) rethrows -> T {
    try body()
}

/// Checks that a repository's read plan is in the expected mode, so that a benchmark
/// cannot silently measure the wrong path.
func expectPlanMode<R: Driftless.Record>(_ repository: BlockingRepository<R, PostgresDatabase>, projected: Bool) throws {
    let mode = try repository.planMode()
    guard mode.isDrifted == projected else {
        throw BenchmarkFailure("\(R.self): expected a \(projected ? "projected" : "full") plan, got \(mode)")
    }
}
