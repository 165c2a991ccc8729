import Benchmark
import ConcurrentLoad
import Dispatch
import Driftless
import DriftlessSQLite

// The async API against the blocking one, and under load.
//
//   FetchOne paired  the blocking find and the async find take turns inside every sample
//                    (500 lookups each, the order rotating between samples), so both meet
//                    the same machine load; each sample reports both per lookup and the
//                    async overhead (difference and ratio). The median overhead is the figure
//                    for the ≤ 1 µs target. A third turn measures the bare hop the async form
//                    cannot avoid: a continuation resumed from a backend thread, no C call.
//   Concurrency      1,000 tasks at once, 10 finds each, against 8 reading connections:
//                    throughput, median and p99 latency of a call (its wait for a connection
//                    included), and the most threads the process ran.

let pairedBlocking = BenchmarkMetric.custom("blocking find (ns per lookup)", useScalingFactor: false)
let pairedAsync = BenchmarkMetric.custom("async find (ns per lookup)", useScalingFactor: false)
let pairedOverhead = BenchmarkMetric.custom("async - blocking (ns per lookup)", useScalingFactor: false)
let pairedRatio = BenchmarkMetric.custom("async / blocking (per mille)", useScalingFactor: false)
let pairedHop = BenchmarkMetric.custom("bare hop to a backend thread and back (ns)", useScalingFactor: false)
let pairedMetrics = [pairedBlocking, pairedAsync, pairedOverhead, pairedRatio, pairedHop]
let pairedConfiguration = Benchmark.Configuration(
    metrics: [.wallClock] + pairedMetrics, timeUnits: .milliseconds,
    units: Dictionary(uniqueKeysWithValues: pairedMetrics.map { ($0, BenchmarkUnits.count) }),
    warmupIterations: 3, scalingFactor: .one, maxDuration: .seconds(6), maxIterations: 1_000)

/// A thread like a connection's, for the bare hop.
let hopThread = BackendThread(name: "driftless-hop")

/// The blocking `find` from an `async` context, where it is unavailable (it blocks the
/// cooperative thread, which the paired benchmark does on purpose, to compare).
@inline(__always)
func findBlocking(_ items: BlockingRepository<Item, SQLiteDatabase>, _ key: Int64) throws -> Item? {
    try items.find(key)
}

func registerAsyncBenchmarks() {
    registerAsync("FetchOne paired: Driftless blocking, async", pairedConfiguration, setup: { (path: String) throws -> (SQLiteDatabase, Items, Repository<Item, SQLiteDatabase>, Box<Int>) in
        let db = try openDriftless(path: path)
        let blocking = db.blocking.repository(Item.self)
        for key in Fixture.keys.prefix(100) { try check(blocking.find(key), key: key) }
        let round = Box<Int>()
        round.value = 0
        return (db, blocking, db.repository(Item.self), round)
    }) { benchmark, state in
        let (_, blocking, items, round) = state
        let lookups = 500
        let keys = KeyCursor()
        var perLookup = [0, 0, 0]
        round.value = (round.value ?? 0) + 1
        for step in 0..<3 {
            let contender = (step + (round.value ?? 0)) % 3
            let start = DispatchTime.now().uptimeNanoseconds
            switch contender {
            case 0: for _ in 0..<lookups { blackHole(try findBlocking(blocking, keys.next())) }
            case 1: for _ in 0..<lookups { blackHole(try await items.find(keys.next())) }
            default:
                for _ in 0..<lookups {
                    await withCheckedContinuation { continuation in hopThread.enqueue { continuation.resume() } }
                }
            }
            perLookup[contender] = Int(DispatchTime.now().uptimeNanoseconds - start) / lookups
        }
        benchmark.measurement(pairedHop, perLookup[2])
        benchmark.measurement(pairedBlocking, perLookup[0])
        benchmark.measurement(pairedAsync, perLookup[1])
        benchmark.measurement(pairedOverhead, perLookup[1] - perLookup[0])
        benchmark.measurement(pairedRatio, perLookup[1] * 1000 / max(1, perLookup[0]))
    }

    registerAsync("Concurrency: 1,000 tasks, 8 readers", ConcurrentLoad.configuration(maxDuration: .seconds(10)), setup: { (path: String) throws -> (SQLiteDatabase, Repository<Item, SQLiteDatabase>) in
        let db = try openDriftless(path: path, readers: 8)
        for key in Fixture.keys.prefix(100) { try check(db.blocking.repository(Item.self).find(key), key: key) }
        return (db, db.repository(Item.self))
    }) { benchmark, state in
        let (_, items) = state
        let keys = Fixture.keys
        let result = try await ConcurrentLoad(tasks: 1_000, callsPerTask: 10).run { task, call in
            let key = keys[(task * 10 + call) % keys.count]
            guard try await items.find(key) != nil else { throw BenchmarkFailure("no row \(key)") }
        }
        ConcurrentLoad.record(result, in: benchmark)
    }
}
