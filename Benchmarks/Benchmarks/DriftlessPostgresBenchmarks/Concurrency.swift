import Benchmark
import ConcurrentLoad
import Driftless
import DriftlessPostgres

// 1,000 tasks at once, 10 finds each, against the default pool of 8 connections:
// throughput, median and p99 latency of a call (its wait for a connection included), and
// the most threads the process ran (Driftless's own: one per connection, plus the LISTEN
// connection's).

let loadCallsPerSecond = BenchmarkMetric.custom("calls per second", useScalingFactor: false)
let loadMedian = BenchmarkMetric.custom("call latency p50 (µs)", useScalingFactor: false)
let loadP99 = BenchmarkMetric.custom("call latency p99 (µs)", useScalingFactor: false)
let loadThreads = BenchmarkMetric.custom("process threads (peak)", useScalingFactor: false)
let loadDriftlessThreads = BenchmarkMetric.custom("Driftless threads (peak)", useScalingFactor: false)
let loadMetrics = [loadCallsPerSecond, loadMedian, loadP99, loadThreads, loadDriftlessThreads]
let loadConfiguration = Benchmark.Configuration(
    metrics: [.wallClock] + loadMetrics, timeUnits: .milliseconds,
    units: Dictionary(uniqueKeysWithValues: loadMetrics.map { ($0, BenchmarkUnits.count) }),
    warmupIterations: 1, scalingFactor: .one, maxDuration: .seconds(15), maxIterations: 30)

func registerConcurrency() {
    registerAsync("PG Concurrency: 1,000 tasks, pool of 8", loadConfiguration, setup: { schema -> (PostgresDatabase, AsyncItems) in
        let db = try openDriftless(schema)
        let items = db.repository(Item.self)
        try await warm { try await items.find($0) }
        return (db, items)
    }) { benchmark, prepared in
        let (_, items) = prepared.state
        let keys = Fixture.keys
        let result = try await ConcurrentLoad(tasks: 1_000, callsPerTask: 10).run { task, call in
            let key = keys[(task * 10 + call) % keys.count]
            guard try await items.find(key) != nil else { throw BenchmarkFailure("no row \(key)") }
        }
        benchmark.measurement(loadCallsPerSecond, result.callsPerSecond)
        benchmark.measurement(loadMedian, result.medianNanoseconds / 1_000)
        benchmark.measurement(loadP99, result.p99Nanoseconds / 1_000)
        benchmark.measurement(loadThreads, result.peakThreads)
        benchmark.measurement(loadDriftlessThreads, result.peakDriftlessThreads)
    }
}
