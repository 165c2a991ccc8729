import Benchmark
import Driftless
import DriftlessSQLite
import RawSQLite

// Issue 10's constructs against the raw C API in the same run:
//   PartialUpdate     `visits = visits + 1` on one row by key, one autocommit statement per
//                     update; 1,000 updates per iteration, reported per update
//   GroupedAggregate  `country, COUNT(*), SUM(visits) ... GROUP BY country` over 10,000 rows

let partialUpdateConfiguration = Benchmark.Configuration(
    metrics: [.wallClock, .mallocCountTotal], timeUnits: .nanoseconds, warmupIterations: 2,
    scalingFactor: .kilo, maxDuration: .seconds(3), maxIterations: 200)
let groupedAggregateConfiguration = Benchmark.Configuration(
    metrics: [.wallClock, .mallocCountTotal], timeUnits: .microseconds, warmupIterations: 3,
    scalingFactor: .one, maxDuration: .seconds(3), maxIterations: 500)

/// The expected groups of the fixture: (country, rows, sum of visits), sorted by country.
let expectedGroups: [(String, Int64, Int64)] = Dictionary(grouping: Fixture.items, by: \.country)
    .map { ($0.key, Int64($0.value.count), $0.value.map(\.visits).reduce(0, +)) }
    .sorted { $0.0 < $1.0 }

func checkGroups(_ groups: [(String, Int64, Int64)]) throws {
    let sorted = groups.sorted { $0.0 < $1.0 }
    guard sorted.map(\.0) == expectedGroups.map(\.0), sorted.map(\.1) == expectedGroups.map(\.1) else {
        throw BenchmarkFailure("wrong groups: \(groups)")
    }
}

/// The raw C contender of these workloads: statements prepared once, bound and stepped.
final class RawQueryContender {
    let connection: RawConnection
    private let update: OpaquePointer
    private let grouped: OpaquePointer

    init(path: String) throws {
        connection = try RawConnection(path: path)
        update = try connection.prepare("UPDATE items SET visits = visits + ? WHERE id = ?")
        grouped = try connection.prepare("SELECT country, COUNT(*), SUM(visits) FROM items GROUP BY country")
    }

    deinit {
        sqlite3_finalize(update)
        sqlite3_finalize(grouped)
    }

    @inline(__always)
    func addVisit(_ key: Int64) throws -> Int {
        defer { sqlite3_reset(update) }
        sqlite3_bind_int64(update, 1, 1)
        sqlite3_bind_int64(update, 2, key)
        guard sqlite3_step(update) == SQLITE_DONE else { throw BenchmarkFailure(connection.errorMessage) }
        return Int(sqlite3_changes(connection.handle))
    }

    func groups() throws -> [(String, Int64, Int64)] {
        defer { sqlite3_reset(grouped) }
        var groups: [(String, Int64, Int64)] = []
        while sqlite3_step(grouped) == SQLITE_ROW {
            groups.append((columnText(grouped, 0), sqlite3_column_int64(grouped, 1), sqlite3_column_int64(grouped, 2)))
        }
        return groups
    }
}

func registerQueryBenchmarks() {
    register("PartialUpdate: raw C", partialUpdateConfiguration, setup: { (path: String) throws -> (RawQueryContender, KeyCursor) in
        let raw = try RawQueryContender(path: path)
        guard try raw.addVisit(1) == 1 else { throw BenchmarkFailure("no row updated") }
        return (raw, KeyCursor())
    }) { benchmark, state in
        let (raw, keys) = state
        for _ in benchmark.scaledIterations { blackHole(try raw.addVisit(keys.next())) }
    }

    register("PartialUpdate: Driftless", partialUpdateConfiguration, setup: { (path: String) throws -> (SQLiteDatabase, Items, KeyCursor) in
        let db = try openDriftless(path: path)
        let items = db.blocking.repository(Item.self)
        guard try items.updateAll(Item.filter(\.id == 1), set: \.visits += 1) == 1 else { throw BenchmarkFailure("no row updated") }
        return (db, items, KeyCursor())
    }) { benchmark, state in
        let (_, items, keys) = state
        for _ in benchmark.scaledIterations { blackHole(try items.updateAll(Item.filter(\.id == keys.next()), set: \.visits += 1)) }
    }

    register("GroupedAggregate: raw C", groupedAggregateConfiguration, setup: { (path: String) throws -> RawQueryContender in
        let raw = try RawQueryContender(path: path)
        try checkGroups(raw.groups())
        return raw
    }) { _, raw in blackHole(try raw.groups()) }

    register("GroupedAggregate: Driftless", groupedAggregateConfiguration, setup: { (path: String) throws -> (SQLiteDatabase, Items) in
        let db = try openDriftless(path: path)
        let items = db.blocking.repository(Item.self)
        try checkGroups(driftlessGroups(items))
        return (db, items)
    }) { _, state in blackHole(try driftlessGroups(state.1)) }
}

func driftlessGroups(_ items: Items) throws -> [(String, Int64, Int64)] {
    try items.select(Item.column(\.country), Item.count(), Item.sum(\.visits), from: Item.all().group(by: \.country))
        .map { ($0.0, Int64($0.1), $0.2 ?? 0) }
}
