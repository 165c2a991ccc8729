import Benchmark
import Foundation
import Driftless
import DriftlessPostgres
import RawLibPQ

// Issue 10's constructs against raw libpq in the same run (see the SQLite target's
// QueryBenchmarks.swift): a partial update by key (autocommit, one round trip each; 1,000
// per iteration) and a grouped aggregate over 10,000 rows.

let partialUpdateConfiguration = Benchmark.Configuration(
    metrics: [.wallClock, .mallocCountTotal], timeUnits: .nanoseconds, units: exactMallocs, warmupIterations: 1,
    scalingFactor: .kilo, maxDuration: .seconds(6), maxIterations: 100)
let groupedAggregateConfiguration = Benchmark.Configuration(
    metrics: [.wallClock, .mallocCountTotal], timeUnits: .microseconds, units: exactMallocs, warmupIterations: 3,
    scalingFactor: .one, maxDuration: .seconds(4), maxIterations: 400)

/// The expected group sizes of the fixture, by country.
let expectedGroupSizes: [String: Int64] = Dictionary(grouping: Fixture.items, by: \.country).mapValues { Int64($0.count) }

func checkGroups(_ groups: [(String, Int64, Int64)]) throws {
    guard Dictionary(uniqueKeysWithValues: groups.map { ($0.0, $0.1) }) == expectedGroupSizes else {
        throw BenchmarkFailure("wrong groups: \(groups)")
    }
}

/// Raw libpq: both statements prepared once (`PQprepare`), run with `PQexecPrepared`.
final class RawQueryContender {
    let connection: RawPG
    private let parameters = ParameterBuffer()

    init(schema: BenchSchema) throws {
        connection = try RawPG(parameters: schema.parameters)
        try connection.prepare("add_visit", "UPDATE items SET visits = visits + $1 WHERE id = $2")
        try connection.prepare("grouped", "SELECT country, COUNT(*), SUM(visits) FROM items GROUP BY country")
    }

    @inline(__always)
    func addVisit(_ key: Int64) throws -> Int {
        parameters.reset()
        parameters.append(Int64(1))
        parameters.append(key)
        let result = parameters.withValues { count, values in
            PQexecPrepared(connection.handle, "add_visit", count, values, nil, nil, 0)
        }
        defer { PQclear(result) }
        try connection.check(result, "add_visit")
        return Int(strtol(PQcmdTuples(result), nil, 10))
    }

    func groups() throws -> [(String, Int64, Int64)] {
        let result = PQexecPrepared(connection.handle, "grouped", 0, nil, nil, nil, 0)
        defer { PQclear(result) }
        try connection.check(result, "grouped")
        return (0..<PQntuples(result)).map { row in
            (columnText(result!, row, 0), columnInt64(result!, row, 1), columnInt64(result!, row, 2))
        }
    }
}

func driftlessGroups(_ items: Items) throws -> [(String, Int64, Int64)] {
    try items.select(Item.column(\.country), Item.count(), Item.sum(\.visits), from: Item.all().group(by: \.country))
        .map { ($0.0, Int64($0.1), $0.2 ?? 0) }
}

func registerQueryWorkloads() {
    register("PG PartialUpdate: raw libpq", partialUpdateConfiguration, setup: { schema -> (RawQueryContender, KeyCursor) in
        let raw = try RawQueryContender(schema: schema)
        guard try raw.addVisit(1) == 1 else { throw BenchmarkFailure("no row updated") }
        return (raw, KeyCursor())
    }) { benchmark, prepared in
        let (raw, keys) = prepared.state
        for _ in benchmark.scaledIterations { blackHole(try raw.addVisit(keys.next())) }
    }

    register("PG PartialUpdate: Driftless", partialUpdateConfiguration, setup: { schema -> (PostgresDatabase, Items, KeyCursor) in
        let db = try openDriftless(schema)
        let items = db.blocking.repository(Item.self)
        guard try synchronously({ try items.updateAll(Item.filter(\.id == 1), set: \.visits += 1) }) == 1 else {
            throw BenchmarkFailure("no row updated")
        }
        return (db, items, KeyCursor())
    }) { benchmark, prepared in
        let (_, items, keys) = prepared.state
        for _ in benchmark.scaledIterations { blackHole(try items.updateAll(Item.filter(\.id == keys.next()), set: \.visits += 1)) }
    }

    register("PG GroupedAggregate: raw libpq", groupedAggregateConfiguration, setup: { schema -> RawQueryContender in
        let raw = try RawQueryContender(schema: schema)
        try checkGroups(raw.groups())
        return raw
    }) { _, prepared in blackHole(try prepared.state.groups()) }

    register("PG GroupedAggregate: Driftless", groupedAggregateConfiguration, setup: { schema -> (PostgresDatabase, Items) in
        let db = try openDriftless(schema)
        let items = db.blocking.repository(Item.self)
        try synchronously { try checkGroups(driftlessGroups(items)) }
        return (db, items)
    }) { _, prepared in blackHole(try driftlessGroups(prepared.state.1)) }
}
