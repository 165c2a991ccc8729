import Benchmark
import Dispatch
import Driftless
import DriftlessPostgres

// Fetch one, paired: on a shared 2-core machine a lookup's round trip moves by 3× with the
// load of other processes, and separate benchmarks run minutes apart, so their medians mix
// the contenders' costs with the machine's mood. Here raw libpq and Driftless take turns
// inside every sample — 100 lookups each, in an order that rotates from sample to sample —
// so that they meet the same load, and each sample reports each contender's time per lookup
// and the ratio of the two. The median ratio is the figure for the 1.05× target.

let pairedRaw = BenchmarkMetric.custom("raw libpq (ns per lookup)", useScalingFactor: false)
let pairedFull = BenchmarkMetric.custom("Driftless full (ns per lookup)", useScalingFactor: false)
let pairedProjected = BenchmarkMetric.custom("Driftless projected (ns per lookup)", useScalingFactor: false)
let pairedAsync = BenchmarkMetric.custom("Driftless full async (ns per lookup)", useScalingFactor: false)
let pairedFullRatio = BenchmarkMetric.custom("Driftless full / raw libpq (per mille)", useScalingFactor: false)
let pairedProjectedRatio = BenchmarkMetric.custom("Driftless projected / raw libpq (per mille)", useScalingFactor: false)
let pairedAsyncRatio = BenchmarkMetric.custom("Driftless full async / raw libpq (per mille)", useScalingFactor: false)

let pairedConfiguration = Benchmark.Configuration(
    metrics: [.wallClock, pairedRaw, pairedFull, pairedProjected, pairedAsync, pairedFullRatio, pairedProjectedRatio,
              pairedAsyncRatio],
    timeUnits: .milliseconds,
    units: Dictionary(uniqueKeysWithValues: [pairedRaw, pairedFull, pairedProjected, pairedAsync, pairedFullRatio,
                                             pairedProjectedRatio, pairedAsyncRatio].map { ($0, BenchmarkUnits.count) }),
    warmupIterations: 2, scalingFactor: .one, maxDuration: .seconds(12), maxIterations: 1_000)

final class PairedState {
    let raw: RawContender
    let database: PostgresDatabase
    let full: Items
    let projected: DriftedItems
    /// One cursor per contender: each walks the same key sequence.
    let keys = (0..<4).map { _ in KeyCursor() }
    var round = 0

    init(schema: BenchSchema) throws {
        raw = try RawContender(schema: schema)
        database = try openDriftless(schema)
        full = database.repository(Item.self)
        projected = database.repository(DriftedItem.self)
    }
}

/// The synchronous `find`, from an `async` context (where `find` would pick the async form).
@inline(__always)
func findSynchronously<R: Driftless.Record>(_ repository: Repository<R, PostgresDatabase>, _ key: Int64) throws -> R? {
    try repository.find(key)
}

func registerPairedFetchOne() {
    let lookups = 100
    registerAsync("PG FetchOne paired: raw libpq, Driftless", pairedConfiguration, setup: { schema -> PairedState in
        let state = try PairedState(schema: schema)
        try await warm { try state.raw.find($0) }
        try await warm { try state.full.find($0) }
        try await warm { try state.projected.find($0) }
        try await warm { try await state.full.find($0) }
        try expectPlanMode(state.full, projected: false)
        try expectPlanMode(state.projected, projected: true)
        return state
    }) { benchmark, prepared in
        let state = prepared.state
        state.round += 1
        var perLookup = [0, 0, 0, 0]
        for step in 0..<4 {
            let contender = (state.round + step) % 4
            let keys = state.keys[contender]
            let start = DispatchTime.now().uptimeNanoseconds
            switch contender {
            case 0: for _ in 0..<lookups { blackHole(try state.raw.find(keys.next())) }
            case 1: for _ in 0..<lookups { blackHole(try findSynchronously(state.full, keys.next())) }
            case 2: for _ in 0..<lookups { blackHole(try findSynchronously(state.projected, keys.next())) }
            default: for _ in 0..<lookups { blackHole(try await state.full.find(keys.next())) }
            }
            perLookup[contender] = Int(DispatchTime.now().uptimeNanoseconds - start) / lookups
        }
        let raw = max(perLookup[0], 1)
        benchmark.measurement(pairedRaw, perLookup[0])
        benchmark.measurement(pairedFull, perLookup[1])
        benchmark.measurement(pairedProjected, perLookup[2])
        benchmark.measurement(pairedAsync, perLookup[3])
        benchmark.measurement(pairedFullRatio, perLookup[1] * 1000 / raw)
        benchmark.measurement(pairedProjectedRatio, perLookup[2] * 1000 / raw)
        benchmark.measurement(pairedAsyncRatio, perLookup[3] * 1000 / raw)
    }
}
