import Benchmark
import Dispatch
import Driftless
import DriftlessPostgres
import Foundation

// Fetch one, paired: on a shared 2-core machine a lookup's round trip moves by 3× with the
// load of other processes, and separate benchmarks run minutes apart, so their medians mix
// the contenders' costs with the machine's mood. Here raw libpq and Driftless take turns
// inside every sample — 100 lookups each, in an order that rotates from sample to sample —
// so that they meet the same load, and each sample reports each contender's time per lookup
// and the ratio of the two. The median ratio is the figure for the 1.05× target.
//
// Each contender's process CPU time per lookup is reported too (CLOCK_PROCESS_CPUTIME_ID,
// every thread, so the async form's work on the connection's thread counts): the client's own cost,
// which the server's share of the round trip and the machine's load hardly move.

let pairedRaw = BenchmarkMetric.custom("raw libpq (ns per lookup)", useScalingFactor: false)
let pairedFull = BenchmarkMetric.custom("Driftless full (ns per lookup)", useScalingFactor: false)
let pairedProjected = BenchmarkMetric.custom("Driftless projected (ns per lookup)", useScalingFactor: false)
let pairedAsync = BenchmarkMetric.custom("Driftless full async (ns per lookup)", useScalingFactor: false)
let pairedRawCPU = BenchmarkMetric.custom("raw libpq client CPU (ns per lookup)", useScalingFactor: false)
let pairedFullCPU = BenchmarkMetric.custom("Driftless full client CPU (ns per lookup)", useScalingFactor: false)
let pairedProjectedCPU = BenchmarkMetric.custom("Driftless projected client CPU (ns per lookup)", useScalingFactor: false)
let pairedAsyncCPU = BenchmarkMetric.custom("Driftless full async client CPU (ns per lookup)", useScalingFactor: false)
let pairedFullRatio = BenchmarkMetric.custom("Driftless full / raw libpq (per mille)", useScalingFactor: false)
let pairedProjectedRatio = BenchmarkMetric.custom("Driftless projected / raw libpq (per mille)", useScalingFactor: false)
let pairedAsyncRatio = BenchmarkMetric.custom("Driftless full async / raw libpq (per mille)", useScalingFactor: false)
let pairedAsyncOverhead = BenchmarkMetric.custom("Driftless async - blocking (ns per lookup)", useScalingFactor: false)
let pairedAsyncOverheadShare = BenchmarkMetric.custom("Driftless async - blocking / raw libpq (per ten thousand)", useScalingFactor: false)

let pairedMetrics = [pairedRaw, pairedFull, pairedProjected, pairedAsync, pairedFullRatio, pairedProjectedRatio,
                     pairedAsyncRatio, pairedAsyncOverhead, pairedAsyncOverheadShare,
                     pairedRawCPU, pairedFullCPU, pairedProjectedCPU, pairedAsyncCPU]
let pairedConfiguration = Benchmark.Configuration(
    metrics: [.wallClock] + pairedMetrics,
    timeUnits: .milliseconds,
    units: Dictionary(uniqueKeysWithValues: pairedMetrics.map { ($0, BenchmarkUnits.count) }),
    warmupIterations: 2, scalingFactor: .one, maxDuration: .seconds(12), maxIterations: 1_000)

final class PairedState {
    let raw: RawContender
    let database: PostgresDatabase
    let full: Items
    let projected: DriftedItems
    let fullAsync: AsyncItems
    /// One cursor per contender: each walks the same key sequence.
    let keys = (0..<4).map { _ in KeyCursor() }
    var round = 0

    init(schema: BenchSchema) throws {
        raw = try RawContender(schema: schema)
        database = try openDriftless(schema)
        full = database.blocking.repository(Item.self)
        projected = database.blocking.repository(DriftedItem.self)
        fullAsync = database.repository(Item.self)
    }
}

/// CPU time of the whole process, every thread, in nanoseconds.
func processCPUNanoseconds() -> Int {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return time.tv_sec * 1_000_000_000 + time.tv_nsec
}

/// The blocking `find`, from an `async` context (where it is unavailable: it would block a
/// thread of the cooperative pool, which this benchmark does on purpose, to compare).
@inline(__always)
func findSynchronously<R: Driftless.Record>(_ repository: BlockingRepository<R, PostgresDatabase>, _ key: Int64) throws -> R? {
    try repository.find(key)
}

func registerPairedFetchOne() {
    let lookups = 100
    registerAsync("PG FetchOne paired: raw libpq, Driftless", pairedConfiguration, setup: { schema -> PairedState in
        let state = try PairedState(schema: schema)
        try await warm { try state.raw.find($0) }
        try await warm { try findSynchronously(state.full, $0) }
        try await warm { try findSynchronously(state.projected, $0) }
        try await warm { try await state.fullAsync.find($0) }
        try expectPlanMode(state.full, projected: false)
        try expectPlanMode(state.projected, projected: true)
        return state
    }) { benchmark, prepared in
        let state = prepared.state
        state.round += 1
        var perLookup = [0, 0, 0, 0]
        var cpuPerLookup = [0, 0, 0, 0]
        for step in 0..<4 {
            let contender = (state.round + step) % 4
            let keys = state.keys[contender]
            let cpuStart = processCPUNanoseconds()
            let start = DispatchTime.now().uptimeNanoseconds
            switch contender {
            case 0: for _ in 0..<lookups { blackHole(try state.raw.find(keys.next())) }
            case 1: for _ in 0..<lookups { blackHole(try findSynchronously(state.full, keys.next())) }
            case 2: for _ in 0..<lookups { blackHole(try findSynchronously(state.projected, keys.next())) }
            default: for _ in 0..<lookups { blackHole(try await state.fullAsync.find(keys.next())) }
            }
            perLookup[contender] = Int(DispatchTime.now().uptimeNanoseconds - start) / lookups
            cpuPerLookup[contender] = (processCPUNanoseconds() - cpuStart) / lookups
        }
        let raw = max(perLookup[0], 1)
        benchmark.measurement(pairedRaw, perLookup[0])
        benchmark.measurement(pairedFull, perLookup[1])
        benchmark.measurement(pairedProjected, perLookup[2])
        benchmark.measurement(pairedAsync, perLookup[3])
        benchmark.measurement(pairedFullRatio, perLookup[1] * 1000 / raw)
        benchmark.measurement(pairedProjectedRatio, perLookup[2] * 1000 / raw)
        benchmark.measurement(pairedAsyncRatio, perLookup[3] * 1000 / raw)
        // The async form's own cost: what it adds to the blocking call, as a share of a round trip.
        benchmark.measurement(pairedAsyncOverhead, perLookup[3] - perLookup[1])
        benchmark.measurement(pairedAsyncOverheadShare, (perLookup[3] - perLookup[1]) * 10_000 / raw)
        benchmark.measurement(pairedRawCPU, cpuPerLookup[0])
        benchmark.measurement(pairedFullCPU, cpuPerLookup[1])
        benchmark.measurement(pairedProjectedCPU, cpuPerLookup[2])
        benchmark.measurement(pairedAsyncCPU, cpuPerLookup[3])
    }
}
