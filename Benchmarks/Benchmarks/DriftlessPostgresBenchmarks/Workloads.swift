import Benchmark
import Driftless
import DriftlessPostgres

// The benchmarks of each workload, one per contender. The PostgresNIO contenders are
// registered from NIOWorkloads.swift (PostgresNIO's names clash with DriftlessPostgres's).

// MARK: Fetch one by primary key (autocommit)

func registerFetchOne() {
    register("PG FetchOne: raw libpq", fetchOneConfiguration, setup: { schema -> (RawContender, KeyCursor) in
        let raw = try RawContender(schema: schema)
        try await warm { try raw.find($0) }
        return (raw, KeyCursor())
    }) { benchmark, prepared in
        let (raw, keys) = prepared.state
        for _ in benchmark.scaledIterations { blackHole(try raw.find(keys.next())) }
    }

    register("PG FetchOne: Driftless full", fetchOneConfiguration, setup: { schema -> (PostgresDatabase, Items, KeyCursor) in
        let db = try openDriftless(schema)
        let items = db.blocking.repository(Item.self)
        try await warm { try findSynchronously(items, $0) }
        try expectPlanMode(items, projected: false)
        return (db, items, KeyCursor())
    }) { benchmark, prepared in
        let (_, items, keys) = prepared.state
        for _ in benchmark.scaledIterations { blackHole(try items.find(keys.next())) }
    }

    register("PG FetchOne: Driftless projected", fetchOneConfiguration, setup: { schema -> (PostgresDatabase, DriftedItems, KeyCursor) in
        let db = try openDriftless(schema)
        let items = db.blocking.repository(DriftedItem.self)
        // The first find detects the drift and caches the projected plan: steady state after.
        try await warm { try findSynchronously(items, $0) }
        try expectPlanMode(items, projected: true)
        return (db, items, KeyCursor())
    }) { benchmark, prepared in
        let (_, items, keys) = prepared.state
        for _ in benchmark.scaledIterations { blackHole(try items.find(keys.next())) }
    }

    register("PG FetchOne: naive try/catch/raw", fetchOneConfiguration, setup: { schema -> (NaiveContender, KeyCursor) in
        let naive = try NaiveContender(schema: schema)
        try await warm { try naive.find($0) }
        return (naive, KeyCursor())
    }) { benchmark, prepared in
        let (naive, keys) = prepared.state
        for _ in benchmark.scaledIterations { blackHole(try naive.find(keys.next())) }
    }

    // The async API runs the same work on the connection's thread: a thread hop there and
    // back per call, measured separately (the fair comparison with PostgresNIO).
    registerAsync("PG FetchOne: Driftless full async", fetchOneConfiguration, setup: { schema -> (PostgresDatabase, AsyncItems, KeyCursor) in
        let db = try openDriftless(schema)
        let items = db.repository(Item.self)
        try await warm { try await items.find($0) }
        return (db, items, KeyCursor())
    }) { benchmark, prepared in
        let (_, items, keys) = prepared.state
        for _ in benchmark.scaledIterations { blackHole(try await items.find(keys.next())) }
    }

    registerAsync("PG FetchOne: Driftless projected async", fetchOneConfiguration, setup: { schema -> (PostgresDatabase, AsyncDriftedItems, KeyCursor) in
        let db = try openDriftless(schema)
        let items = db.repository(DriftedItem.self)
        try await warm { try await items.find($0) }
        try expectPlanMode(db.blocking.repository(DriftedItem.self), projected: true)
        return (db, items, KeyCursor())
    }) { benchmark, prepared in
        let (_, items, keys) = prepared.state
        for _ in benchmark.scaledIterations { blackHole(try await items.find(keys.next())) }
    }

    registerNIOFetchOne()
    registerPairedFetchOne()
}

// MARK: Scan all rows

func registerScan() {
    register("PG Scan: raw libpq", scanConfiguration, setup: { schema -> RawContender in
        let raw = try RawContender(schema: schema)
        try checkScan(raw.fetchAll())
        return raw
    }) { _, prepared in blackHole(try prepared.state.fetchAll()) }

    register("PG Scan: Driftless full", scanConfiguration, setup: { schema -> (PostgresDatabase, Items) in
        let db = try openDriftless(schema)
        let items = db.blocking.repository(Item.self)
        try checkScan(synchronously { try items.fetchAll() })
        try expectPlanMode(items, projected: false)
        return (db, items)
    }) { _, prepared in blackHole(try prepared.state.1.fetchAll()) }

    register("PG Scan: Driftless projected", scanConfiguration, setup: { schema -> (PostgresDatabase, DriftedItems) in
        let db = try openDriftless(schema)
        let items = db.blocking.repository(DriftedItem.self)
        try checkScan(synchronously { try items.fetchAll() })
        try expectPlanMode(items, projected: true)
        return (db, items)
    }) { _, prepared in blackHole(try prepared.state.1.fetchAll()) }

    register("PG Scan: naive try/catch/raw", scanConfiguration, setup: { schema -> NaiveContender in
        let naive = try NaiveContender(schema: schema)
        try checkScan(naive.fetchAll())
        return naive
    }) { _, prepared in blackHole(try prepared.state.fetchAll()) }

    registerNIOScan()
}

// MARK: Insert 10,000 rows in one transaction

func registerInsert() {
    register("PG Insert: raw libpq", insertConfiguration, rows: 0, setup: { schema in
        try RawContender(schema: schema)
    }, teardown: checkInserted) { benchmark, prepared in
        try prepared.admin.execute("TRUNCATE items")
        benchmark.startMeasurement()
        try prepared.state.insert(contentsOf: Fixture.items)
    }

    register("PG Insert: raw libpq pipelined", insertConfiguration, rows: 0, setup: { schema in
        try RawContender(schema: schema)
    }, teardown: checkInserted) { benchmark, prepared in
        try prepared.admin.execute("TRUNCATE items")
        benchmark.startMeasurement()
        try prepared.state.insertPipelined(contentsOf: Fixture.items)
    }

    register("PG Insert: raw libpq multi-row", insertConfiguration, rows: 0, setup: { schema in
        try RawContender(schema: schema)
    }, teardown: checkInserted) { benchmark, prepared in
        try prepared.admin.execute("TRUNCATE items")
        benchmark.startMeasurement()
        try prepared.state.insertMultiRow(contentsOf: Fixture.items)
    }

    register("PG Insert: Driftless full", insertConfiguration, rows: 0, setup: { schema -> (PostgresDatabase, Items) in
        let db = try openDriftless(schema)
        return (db, db.blocking.repository(Item.self))
    }, teardown: checkInserted) { benchmark, prepared in
        try prepared.admin.execute("TRUNCATE items")
        benchmark.startMeasurement()
        try prepared.state.1.insert(contentsOf: Fixture.items)
    }

    register("PG Insert: Driftless projected", insertConfiguration, rows: 0, setup: { schema -> (PostgresDatabase, DriftedItems) in
        let db = try openDriftless(schema)
        let items = db.blocking.repository(DriftedItem.self)
        // Detect the drift once, so the projected insert plan is cached.
        try synchronously { try items.insert(contentsOf: Fixture.driftedItems.prefix(1)) }
        try expectPlanMode(items, projected: true)
        return (db, items)
    }, teardown: checkInserted) { benchmark, prepared in
        try prepared.admin.execute("TRUNCATE items")
        benchmark.startMeasurement()
        try prepared.state.1.insert(contentsOf: Fixture.driftedItems)
    }

    // One round trip per row through the public API: `insert(_:)` for each record inside
    // one transaction. What `insert(contentsOf:)` is measured against for the batch target.
    register("PG Insert: Driftless full, insert(_:) per row", insertConfiguration, rows: 0, setup: { schema in
        try openDriftless(schema)
    }, teardown: checkInserted) { benchmark, prepared in
        let db = prepared.state
        try prepared.admin.execute("TRUNCATE items")
        benchmark.startMeasurement()
        try db.blocking.transaction { transaction in
            let items = transaction.repository(Item.self)
            for item in Fixture.items { try items.insert(item) }
        }
    }

    register("PG Insert: naive try/catch/raw", insertConfiguration, rows: 0, setup: { schema in
        try NaiveContender(schema: schema)
    }, teardown: checkInserted) { benchmark, prepared in
        try prepared.admin.execute("TRUNCATE items")
        benchmark.startMeasurement()
        try prepared.state.insert(contentsOf: Fixture.driftedItems)
    }

    registerNIOInsert()
}

// MARK: Scan 1,000,000 rows one record at a time, with peak memory

func registerBigScan() {
    register("PG BigScan: raw libpq buffered", bigScanConfiguration, rows: Fixture.bigRowCount, setup: { schema in
        try RawContender(schema: schema)
    }) { benchmark, prepared in
        try measureMemory(benchmark) {
            var tally = BigScanTally()
            try prepared.state.forEachBuffered { tally.add($0) }
            try tally.check()
        }
    }

    register("PG BigScan: raw libpq single-row mode", bigScanConfiguration, rows: Fixture.bigRowCount, setup: { schema in
        try RawContender(schema: schema)
    }) { benchmark, prepared in
        try measureMemory(benchmark) {
            var tally = BigScanTally()
            try prepared.state.forEachSingleRow { tally.add($0) }
            try tally.check()
        }
    }

    register("PG BigScan: Driftless forEach", bigScanConfiguration, rows: Fixture.bigRowCount, setup: { schema -> (PostgresDatabase, Items) in
        let db = try openDriftless(schema)
        let items = db.blocking.repository(Item.self)
        try expectPlanMode(items, projected: false)
        return (db, items)
    }) { benchmark, prepared in
        try measureMemory(benchmark) {
            var tally = BigScanTally()
            try prepared.state.1.forEach { tally.add($0) }
            try tally.check()
        }
    }

    registerNIOBigScan()
}
