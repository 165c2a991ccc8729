import Benchmark
import Driftless
import DriftlessSQLite
import Foundation

// Every benchmark gets its own SQLite file (WAL, `synchronous = NORMAL`) in a new temporary
// directory, holding the 10-column `items` table with 10,000 rows (empty for inserts), built
// in the setup hook and removed in teardown, outside the measurement.
//
// Workloads, each with the same contenders (see BENCHMARKS.md):
//   FetchOne  one row by primary key, keys cycling through a fixed shuffle of 1...10,000;
//             one autocommit statement per lookup; 1,000 lookups per iteration, reported per lookup
//   Scan      all 10,000 rows into an array of records, one statement
//   Insert    10,000 rows in one transaction into the empty table (emptied before each
//             iteration, outside the measurement)
//   Detection the one-time cost of noticing drift: forget the schema, then one find

let fetchOneConfiguration = Benchmark.Configuration(
    metrics: [.wallClock, .mallocCountTotal], timeUnits: .nanoseconds, warmupIterations: 3,
    scalingFactor: .kilo, maxDuration: .seconds(3), maxIterations: 2_000)
let scanConfiguration = Benchmark.Configuration(
    metrics: [.wallClock, .mallocCountTotal], timeUnits: .microseconds, warmupIterations: 3,
    scalingFactor: .one, maxDuration: .seconds(3), maxIterations: 500)
let insertConfiguration = Benchmark.Configuration(
    metrics: [.wallClock, .mallocCountTotal], timeUnits: .microseconds, warmupIterations: 2,
    scalingFactor: .one, maxDuration: .seconds(4), maxIterations: 60)
let detectionConfiguration = Benchmark.Configuration(
    metrics: [.wallClock, .mallocCountTotal], timeUnits: .nanoseconds, warmupIterations: 3,
    scalingFactor: .one, maxDuration: .seconds(3), maxIterations: 5_000)

/// Registers a benchmark whose state is built in the setup hook on a fresh database file.
func register<State>(
    _ name: String, _ configuration: Benchmark.Configuration,
    populated: Bool = true,
    setup: @escaping (String) throws -> State,
    verify: ((State, RawConnection) throws -> Void)? = nil,
    run: @escaping (Benchmark, State) throws -> Void
) {
    let box = Box<(path: String, state: State)>()
    var configuration = configuration
    configuration.setup = {
        let path = try Fixture.newDatabasePath()
        try RawConnection(path: path).createItems(populated: populated)
        box.value = (path, try setup(path))
    }
    configuration.teardown = {
        guard let (path, state) = box.value else { return }
        defer { box.value = nil; Fixture.removeDatabase(at: path) }
        try verify?(state, RawConnection(path: path))
    }
    Benchmark(name, configuration: configuration) { benchmark in
        try run(benchmark, box.unwrapped.state)
    }
}

/// Registers an `async` benchmark; state as in ``register(_:_:populated:setup:verify:run:)``.
func registerAsync<State>(
    _ name: String, _ configuration: Benchmark.Configuration,
    setup: @escaping (String) throws -> State,
    run: @escaping (Benchmark, State) async throws -> Void
) {
    let box = Box<(path: String, state: State)>()
    var configuration = configuration
    configuration.setup = {
        let path = try Fixture.newDatabasePath()
        try RawConnection(path: path).createItems()
        box.value = (path, try setup(path))
    }
    configuration.teardown = {
        guard let (path, _) = box.value else { return }
        box.value = nil
        Fixture.removeDatabase(at: path)
    }
    Benchmark(name, configuration: configuration) { benchmark in
        try await run(benchmark, box.unwrapped.state)
    }
}

/// Checks a fetched record against the fixture: a benchmark must measure correct work.
func check(_ found: Item?, key: Int64) throws {
    guard found == Fixture.item(Int(key)) else { throw BenchmarkFailure("wrong row for key \(key): \(String(describing: found))") }
}

func check(_ found: DriftedItem?, key: Int64) throws {
    guard found == DriftedItem(item: Fixture.item(Int(key))) else {
        throw BenchmarkFailure("wrong row for key \(key): \(String(describing: found))")
    }
}

func checkScan(_ items: [Item]) throws {
    guard items.count == Fixture.rowCount, items.first == Fixture.items.first, items.last == Fixture.items.last else {
        throw BenchmarkFailure("scan returned \(items.count) rows")
    }
}

func checkScan(_ items: [DriftedItem]) throws {
    guard items.count == Fixture.rowCount, items.last == Fixture.driftedItems.last else {
        throw BenchmarkFailure("scan returned \(items.count) rows")
    }
}

/// After an insert benchmark: the table holds exactly the 10,000 rows of the last iteration.
func checkInserted(_ connection: RawConnection) throws {
    let count = try connection.count()
    guard count == Fixture.rowCount else { throw BenchmarkFailure("insert left \(count) rows") }
}

typealias Items = BlockingRepository<Item, SQLiteDatabase>
typealias DriftedItems = BlockingRepository<DriftedItem, SQLiteDatabase>

let benchmarks: @Sendable () -> Void = {
    // MARK: Fetch one by primary key

    register("FetchOne: raw C", fetchOneConfiguration, setup: { (path: String) throws -> (RawContender, KeyCursor) in
        let raw = try RawContender(path: path)
        for key in Fixture.keys.prefix(100) { try check(raw.find(key), key: key) }
        return (raw, KeyCursor())
    }) { benchmark, state in
        let (raw, keys) = state
        for _ in benchmark.scaledIterations { blackHole(try raw.find(keys.next())) }
    }

    register("FetchOne: Driftless full", fetchOneConfiguration, setup: { (path: String) throws -> (SQLiteDatabase, Items, KeyCursor) in
        let db = try openDriftless(path: path)
        let items = db.blocking.repository(Item.self)
        for key in Fixture.keys.prefix(100) { try check(items.find(key), key: key) }
        try expectPlanMode(items, projected: false)
        return (db, items, KeyCursor())
    }) { benchmark, state in
        let (_, items, keys) = state
        for _ in benchmark.scaledIterations { blackHole(try items.find(keys.next())) }
    }

    register("FetchOne: Driftless projected", fetchOneConfiguration, setup: { (path: String) throws -> (SQLiteDatabase, DriftedItems, KeyCursor) in
        let db = try openDriftless(path: path)
        let items = db.blocking.repository(DriftedItem.self)
        // The first find detects the drift and caches the projected plan: steady state after.
        for key in Fixture.keys.prefix(100) { try check(items.find(key), key: key) }
        try expectPlanMode(items, projected: true)
        return (db, items, KeyCursor())
    }) { benchmark, state in
        let (_, items, keys) = state
        for _ in benchmark.scaledIterations { blackHole(try items.find(keys.next())) }
    }

    register("FetchOne: Driftless Codable", fetchOneConfiguration, setup: { (path: String) throws -> (SQLiteDatabase, BlockingRepository<CodableItem, SQLiteDatabase>, KeyCursor) in
        let db = try openDriftless(path: path)
        let items = db.blocking.repository(CodableItem.self)
        for key in Fixture.keys.prefix(100) { try check(items.find(key)?.item, key: key) }
        return (db, items, KeyCursor())
    }) { benchmark, state in
        let (_, items, keys) = state
        for _ in benchmark.scaledIterations { blackHole(try items.find(keys.next())) }
    }

    register("FetchOne: naive try/catch/raw", fetchOneConfiguration, setup: { (path: String) throws -> (NaiveContender, KeyCursor) in
        let naive = try NaiveContender(path: path)
        for key in Fixture.keys.prefix(100) { try check(naive.find(key), key: key) }
        return (naive, KeyCursor())
    }) { benchmark, state in
        let (naive, keys) = state
        for _ in benchmark.scaledIterations { blackHole(try naive.find(keys.next())) }
    }

    register("FetchOne: GRDB fetchOne(key:) Codable", fetchOneConfiguration, setup: { (path: String) throws -> (GRDBContender, KeyCursor) in
        let grdb = try GRDBContender(path: path)
        for key in Fixture.keys.prefix(100) { try check(grdb.find(key)?.item, key: key) }
        return (grdb, KeyCursor())
    }) { benchmark, state in
        let (grdb, keys) = state
        for _ in benchmark.scaledIterations { blackHole(try grdb.find(keys.next())) }
    }

    register("FetchOne: GRDB cached statement", fetchOneConfiguration, setup: { (path: String) throws -> (GRDBContender, KeyCursor) in
        let grdb = try GRDBContender(path: path)
        for key in Fixture.keys.prefix(100) { try check(grdb.findCached(key), key: key) }
        return (grdb, KeyCursor())
    }) { benchmark, state in
        let (grdb, keys) = state
        for _ in benchmark.scaledIterations { blackHole(try grdb.findCached(keys.next())) }
    }

    // The async API hops to the connection's thread and back on every call: measured
    // separately, as the design notes ask (it matters more against a PostgreSQL round trip).
    registerAsync("FetchOne: Driftless full async", fetchOneConfiguration, setup: { (path: String) throws -> (SQLiteDatabase, Repository<Item, SQLiteDatabase>, KeyCursor) in
        let db = try openDriftless(path: path)
        let items = db.repository(Item.self)
        for key in Fixture.keys.prefix(100) { try check(db.blocking.repository(Item.self).find(key), key: key) }
        return (db, items, KeyCursor())
    }) { benchmark, state in
        let (_, items, keys) = state
        for _ in benchmark.scaledIterations { blackHole(try await items.find(keys.next())) }
    }

    // MARK: Scan all rows

    register("Scan: raw C", scanConfiguration, setup: { (path: String) throws -> RawContender in
        let raw = try RawContender(path: path)
        try checkScan(raw.fetchAll())
        return raw
    }) { _, raw in blackHole(try raw.fetchAll()) }

    register("Scan: Driftless full", scanConfiguration, setup: { (path: String) throws -> (SQLiteDatabase, Items) in
        let db = try openDriftless(path: path)
        let items = db.blocking.repository(Item.self)
        try checkScan(items.fetchAll())
        try expectPlanMode(items, projected: false)
        return (db, items)
    }) { _, state in blackHole(try state.1.fetchAll()) }

    register("Scan: Driftless projected", scanConfiguration, setup: { (path: String) throws -> (SQLiteDatabase, DriftedItems) in
        let db = try openDriftless(path: path)
        let items = db.blocking.repository(DriftedItem.self)
        try checkScan(items.fetchAll())
        try expectPlanMode(items, projected: true)
        return (db, items)
    }) { _, state in blackHole(try state.1.fetchAll()) }

    register("Scan: Driftless Codable", scanConfiguration, setup: { (path: String) throws -> (SQLiteDatabase, BlockingRepository<CodableItem, SQLiteDatabase>) in
        let db = try openDriftless(path: path)
        let items = db.blocking.repository(CodableItem.self)
        try checkScan(items.fetchAll().map(\.item))
        return (db, items)
    }) { _, state in blackHole(try state.1.fetchAll()) }

    register("Scan: naive try/catch/raw", scanConfiguration, setup: { (path: String) throws -> NaiveContender in
        let naive = try NaiveContender(path: path)
        try checkScan(naive.fetchAll())
        return naive
    }) { _, naive in blackHole(try naive.fetchAll()) }

    register("Scan: GRDB fetchAll Codable", scanConfiguration, setup: { (path: String) throws -> GRDBContender in
        let grdb = try GRDBContender(path: path)
        try checkScan(grdb.fetchAll().map(\.item))
        return grdb
    }) { _, grdb in blackHole(try grdb.fetchAll()) }

    register("Scan: GRDB cached statement", scanConfiguration, setup: { (path: String) throws -> GRDBContender in
        let grdb = try GRDBContender(path: path)
        try checkScan(grdb.fetchAllCached())
        return grdb
    }) { _, grdb in blackHole(try grdb.fetchAllCached()) }

    // MARK: Insert 10,000 rows in one transaction

    register("Insert: raw C", insertConfiguration, populated: false, setup: { (path: String) throws -> RawContender in
        try RawContender(path: path)
    }, verify: { _, connection in try checkInserted(connection) }) { benchmark, raw in
        try raw.connection.execute("DELETE FROM items")
        benchmark.startMeasurement()
        try raw.insert(contentsOf: Fixture.items)
    }

    register("Insert: Driftless full", insertConfiguration, populated: false, setup: { (path: String) throws -> (SQLiteDatabase, Items) in
        let db = try openDriftless(path: path)
        return (db, db.blocking.repository(Item.self))
    }, verify: { _, connection in try checkInserted(connection) }) { benchmark, state in
        let (db, items) = state
        try db.blocking.execute("DELETE FROM items")
        benchmark.startMeasurement()
        try items.insert(contentsOf: Fixture.items)
    }

    register("Insert: Driftless projected", insertConfiguration, populated: false, setup: { (path: String) throws -> (SQLiteDatabase, DriftedItems) in
        let db = try openDriftless(path: path)
        let items = db.blocking.repository(DriftedItem.self)
        // Detect the drift once, so the projected insert plan is cached.
        try items.insert(contentsOf: Fixture.driftedItems.prefix(1))
        try expectPlanMode(items, projected: true)
        return (db, items)
    }, verify: { _, connection in try checkInserted(connection) }) { benchmark, state in
        let (db, items) = state
        try db.blocking.execute("DELETE FROM items")
        benchmark.startMeasurement()
        try items.insert(contentsOf: Fixture.driftedItems)
    }

    register("Insert: naive try/catch/raw", insertConfiguration, populated: false, setup: { (path: String) throws -> NaiveContender in
        try NaiveContender(path: path)
    }, verify: { _, connection in try checkInserted(connection) }) { benchmark, naive in
        try naive.connection.execute("DELETE FROM items")
        benchmark.startMeasurement()
        try naive.insert(contentsOf: Fixture.driftedItems)
    }

    register("Insert: GRDB insert Codable", insertConfiguration, populated: false, setup: { (path: String) throws -> (GRDBContender, [GRDBItem]) in
        (try GRDBContender(path: path), Fixture.items.map(GRDBItem.init))
    }, verify: { _, connection in try checkInserted(connection) }) { benchmark, state in
        let (grdb, records) = state
        try grdb.deleteAll()
        benchmark.startMeasurement()
        try grdb.insert(contentsOf: records)
    }

    register("Insert: GRDB cached statement", insertConfiguration, populated: false, setup: { (path: String) throws -> GRDBContender in
        try GRDBContender(path: path)
    }, verify: { _, connection in try checkInserted(connection) }) { benchmark, grdb in
        try grdb.deleteAll()
        benchmark.startMeasurement()
        try grdb.insertCached(contentsOf: Fixture.items)
    }

    // MARK: First detection of drift (one-time cost)

    // Each find runs right after `invalidateSchema()`, so the plan is compiled again.
    // Full record: recompile the full plan (its prepared statement is reused: same SQL).
    // Drifted record: compile the full plan, prepare it and fail (`no such column: plan`),
    // classify the error, reflect the table (PRAGMA table_xinfo), compile the projected plan,
    // prepare it and run it. The difference is the cost of detecting drift.
    register("Detection: full find after invalidateSchema", detectionConfiguration, setup: { (path: String) throws -> (SQLiteDatabase, Items, KeyCursor) in
        let db = try openDriftless(path: path)
        let items = db.blocking.repository(Item.self)
        try check(items.find(1), key: 1)
        return (db, items, KeyCursor())
    }) { benchmark, state in
        let (db, items, keys) = state
        for _ in benchmark.scaledIterations {
            db.invalidateSchema()
            blackHole(try items.find(keys.next()))
        }
    }

    register("Detection: drifted find after invalidateSchema", detectionConfiguration, setup: { (path: String) throws -> (SQLiteDatabase, DriftedItems, KeyCursor) in
        let db = try openDriftless(path: path)
        let items = db.blocking.repository(DriftedItem.self)
        try check(items.find(1), key: 1)
        return (db, items, KeyCursor())
    }) { benchmark, state in
        let (db, items, keys) = state
        for _ in benchmark.scaledIterations {
            db.invalidateSchema()
            blackHole(try items.find(keys.next()))
        }
        let statistics = db.driftContext.statistics
        blackHole(statistics)
    }

    // A new process meeting the database: open it, then one find.
    register("Detection: open + first full find", detectionConfiguration, setup: { (path: String) throws -> String in
        path
    }) { benchmark, path in
        for _ in benchmark.scaledIterations {
            let db = try openDriftless(path: path)
            blackHole(try db.blocking.repository(Item.self).find(Int64(1)))
        }
    }

    register("Detection: open + first drifted find", detectionConfiguration, setup: { (path: String) throws -> String in
        path
    }) { benchmark, path in
        for _ in benchmark.scaledIterations {
            let db = try openDriftless(path: path)
            blackHole(try db.blocking.repository(DriftedItem.self).find(Int64(1)))
        }
    }

    registerAsyncBenchmarks()
    registerQueryBenchmarks()
}
