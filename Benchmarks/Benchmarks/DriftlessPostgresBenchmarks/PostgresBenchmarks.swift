import Benchmark
import Driftless
import DriftlessPostgres
import Foundation
import RawLibPQ

// PostgreSQL benchmarks, against the server of DRIFTLESS_POSTGRES_URL (with-postgres.sh
// starts a throwaway one): without it the run fails at once, saying so.
//
// Every benchmark gets a new schema on the server holding the 10-column `items` table with
// 10,000 rows (empty for inserts, 1,000,000 for the large scan), built in the setup hook and
// dropped in teardown, outside the measurement. Workloads, each with the same contenders
// (see BENCHMARKS.md):
//   PG FetchOne  one row by primary key, keys cycling through a fixed shuffle of 1...10,000;
//                one autocommit statement per lookup; 1,000 lookups per sample, reported
//                per lookup
//   PG Scan      all 10,000 rows into an array of records, one statement
//   PG Insert    10,000 rows in one transaction into the empty table (truncated before each
//                sample, outside the measurement)
//   PG BigScan   1,000,000 rows visited one record at a time (`forEach`), with the peak
//                resident memory of the process during the scan
// and `PG FetchOne paired` (Paired.swift), raw libpq and Driftless taking turns.

/// Malloc counts in units, not thousands: exact figures in the tables.
let exactMallocs: [BenchmarkMetric: BenchmarkUnits] = [.mallocCountTotal: .count]

let fetchOneConfiguration = Benchmark.Configuration(
    metrics: [.wallClock, .mallocCountTotal], timeUnits: .nanoseconds, units: exactMallocs, warmupIterations: 1,
    scalingFactor: .kilo, maxDuration: .seconds(6), maxIterations: 200)
let scanConfiguration = Benchmark.Configuration(
    metrics: [.wallClock, .mallocCountTotal], timeUnits: .microseconds, units: exactMallocs, warmupIterations: 3,
    scalingFactor: .one, maxDuration: .seconds(4), maxIterations: 400)
let insertConfiguration = Benchmark.Configuration(
    metrics: [.wallClock, .mallocCountTotal], timeUnits: .microseconds, units: exactMallocs, warmupIterations: 1,
    scalingFactor: .one, maxDuration: .seconds(8), maxIterations: 40)
let peakRSS = BenchmarkMetric.custom("Peak RSS during the scan (MB)", polarity: .prefersSmaller, useScalingFactor: false)
let peakRSSGrowth = BenchmarkMetric.custom("Peak RSS growth over the scan (MB)", polarity: .prefersSmaller, useScalingFactor: false)
let bigScanConfiguration = Benchmark.Configuration(
    metrics: [.wallClock, .peakMemoryResident, peakRSS, peakRSSGrowth], timeUnits: .milliseconds,
    units: [.peakMemoryResident: .mega, peakRSS: .count, peakRSSGrowth: .count], warmupIterations: 1,
    scalingFactor: .one, maxDuration: .seconds(20), maxIterations: 6)

/// A benchmark's state, its schema and a connection for housekeeping outside the measurement.
struct Prepared<State> {
    let schema: BenchSchema
    let admin: RawPG
    let state: State
}

/// Registers a benchmark whose state is built in the setup hook on a new schema.
func register<State>(
    _ name: String, _ configuration: Benchmark.Configuration,
    rows: Int = Fixture.rowCount,
    setup: @escaping (BenchSchema) async throws -> State,
    teardown: ((Prepared<State>) async throws -> Void)? = nil,
    run: @escaping (Benchmark, Prepared<State>) throws -> Void
) {
    let (configuration, box) = hooks(configuration, rows: rows, setup: setup, teardown: teardown)
    Benchmark(name, configuration: configuration) { benchmark in
        try run(benchmark, box.unwrapped)
    }
}

/// The same, for a benchmark whose body is `async`.
func registerAsync<State>(
    _ name: String, _ configuration: Benchmark.Configuration,
    rows: Int = Fixture.rowCount,
    setup: @escaping (BenchSchema) async throws -> State,
    teardown: ((Prepared<State>) async throws -> Void)? = nil,
    run: @escaping (Benchmark, Prepared<State>) async throws -> Void
) {
    let (configuration, box) = hooks(configuration, rows: rows, setup: setup, teardown: teardown)
    Benchmark(name, configuration: configuration) { benchmark in
        try await run(benchmark, box.unwrapped)
    }
}

/// Setup and teardown hooks: a new schema with `rows` rows and the contender's state; then
/// the contender's own teardown (checks, shutdown) and the schema dropped.
private func hooks<State>(
    _ configuration: Benchmark.Configuration, rows: Int,
    setup: @escaping (BenchSchema) async throws -> State,
    teardown: ((Prepared<State>) async throws -> Void)?
) -> (Benchmark.Configuration, Box<Prepared<State>>) {
    let box = Box<Prepared<State>>()
    var configuration = configuration
    configuration.setup = {
        let schema = try BenchSchema.create(rows: rows)
        do {
            let admin = try RawPG(parameters: schema.parameters)
            box.value = Prepared(schema: schema, admin: admin, state: try await setup(schema))
        } catch {
            schema.drop()
            throw error
        }
    }
    configuration.teardown = {
        guard let prepared = box.value else { return }
        box.value = nil
        defer { prepared.schema.drop() }
        try await teardown?(prepared)
    }
    return (configuration, box)
}

// MARK: Checks: a benchmark must measure correct work

func check(_ found: Item?, key: Int64) throws {
    guard found == Fixture.item(Int(key)) else { throw BenchmarkFailure("wrong row for key \(key): \(String(describing: found))") }
}

func check(_ found: DriftedItem?, key: Int64) throws {
    guard found == DriftedItem(item: Fixture.item(Int(key))) else {
        throw BenchmarkFailure("wrong row for key \(key): \(String(describing: found))")
    }
}

/// Every row, in key order, equal to the fixture's.
func checkScan(_ items: [Item]) throws {
    guard items.sorted(by: { $0.id < $1.id }) == Fixture.items else {
        throw BenchmarkFailure("scan returned \(items.count) rows, not the fixture's \(Fixture.rowCount)")
    }
}

func checkScan(_ items: [DriftedItem]) throws {
    guard items.allSatisfy({ $0.plan == "free" }) else { throw BenchmarkFailure("plan is not \"free\"") }
    try checkScan(items.map(\.base))
}

/// After an insert benchmark: the table holds exactly the fixture's rows (the last sample's).
func checkInserted<State>(_ prepared: Prepared<State>) throws {
    try checkScan(RawContender(schema: prepared.schema).fetchAll())
}

/// Fetch-one setup: the first 100 keys of the shuffle fetched and checked.
func warm(_ find: (Int64) async throws -> Item?) async throws {
    for key in Fixture.keys.prefix(100) { try check(try await find(key), key: key) }
}

func warm(_ find: (Int64) async throws -> DriftedItem?) async throws {
    for key in Fixture.keys.prefix(100) { try check(try await find(key), key: key) }
}

/// Tallies the large scan, so that every contender visits every row and the result is checked.
struct BigScanTally {
    var count = 0
    var visits: Int64 = 0

    @inline(__always)
    mutating func add(_ item: Item) {
        count += 1
        visits &+= item.visits
    }

    static let expectedVisits: Int64 = (1...Int64(Fixture.bigRowCount)).reduce(0) { $0 &+ $1 * 7 % 1000 }

    func check() throws {
        guard count == Fixture.bigRowCount, visits == Self.expectedVisits else {
            throw BenchmarkFailure("large scan saw \(count) rows, visits sum \(visits) (expected \(Self.expectedVisits))")
        }
    }
}

/// The process's resident memory, from /proc/self/status; `resetPeak` makes the kernel's
/// high-water mark (VmHWM) restart from the current size (`echo 5 > /proc/self/clear_refs`).
enum ResidentMemory {
    static func resetPeak() {
        // Give freed heap back first, so that the start size is what the process really uses
        // (the previous iteration's memory would otherwise hide this one's growth).
        raw_release_free_memory()
        let fd = open("/proc/self/clear_refs", O_WRONLY)
        guard fd >= 0 else { return }
        _ = write(fd, "5", 1)
        close(fd)
    }

    /// (current, peak) in kB.
    static func read() -> (current: Int, peak: Int) {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
        func field(_ name: String) -> Int {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return 0 }
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
        }
        return (field("VmRSS"), field("VmHWM"))
    }

    /// Reports the peak resident memory since `start` (absolute, and above `start`'s
    /// current size) as custom metrics, in MB.
    static func report(_ benchmark: Benchmark, since start: Int) {
        let peak = read().peak
        benchmark.measurement(peakRSS, peak / 1024)
        benchmark.measurement(peakRSSGrowth, max(0, peak - start) / 1024)
    }
}

/// Runs `body`, reporting the process's peak resident memory during it.
func measureMemory(_ benchmark: Benchmark, _ body: () throws -> Void) rethrows {
    ResidentMemory.resetPeak()
    let start = ResidentMemory.read().current
    try body()
    ResidentMemory.report(benchmark, since: start)
}

func measureMemory(_ benchmark: Benchmark, _ body: () async throws -> Void) async rethrows {
    ResidentMemory.resetPeak()
    let start = ResidentMemory.read().current
    try await body()
    ResidentMemory.report(benchmark, since: start)
}

let benchmarks: @Sendable () -> Void = {
    // Without a server there is nothing to measure: say so and fail the run (exit status
    // included), rather than report an empty or partial table.
    do {
        _ = try Server.url()
    } catch {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        exit(1)
    }
    registerFetchOne()
    registerScan()
    registerInsert()
    registerBigScan()
    registerConcurrency()
    registerQueryWorkloads()
}
