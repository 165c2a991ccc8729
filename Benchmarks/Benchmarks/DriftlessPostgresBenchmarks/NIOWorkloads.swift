import Benchmark
import PostgresNIO

// The PostgresNIO contenders of each workload (see PostgresNIOContender.swift). Its async API
// is the only one it has: compare it with Driftless's async numbers first.

func registerNIOFetchOne() {
    registerAsync("PG FetchOne: PostgresNIO client", fetchOneConfiguration, setup: { schema -> (NIOClientContender, KeyCursor) in
        let nio = NIOClientContender(schema: schema)
        try await warm { try await nio.find($0) }
        return (nio, KeyCursor())
    }, teardown: { await $0.state.0.shutdown() }) { benchmark, prepared in
        let (nio, keys) = prepared.state
        for _ in benchmark.scaledIterations { blackHole(try await nio.find(keys.next())) }
    }

    registerAsync("PG FetchOne: PostgresNIO connection", fetchOneConfiguration, setup: { schema -> (NIOConnectionContender, KeyCursor) in
        let nio = try await NIOConnectionContender(schema: schema)
        try await warm { try await nio.find($0) }
        return (nio, KeyCursor())
    }, teardown: { await $0.state.0.shutdown() }) { benchmark, prepared in
        let (nio, keys) = prepared.state
        for _ in benchmark.scaledIterations { blackHole(try await nio.find(keys.next())) }
    }
}

func registerNIOScan() {
    registerAsync("PG Scan: PostgresNIO client", scanConfiguration, setup: { schema -> NIOClientContender in
        let nio = NIOClientContender(schema: schema)
        try checkScan(await nio.fetchAll())
        return nio
    }, teardown: { await $0.state.shutdown() }) { _, prepared in
        blackHole(try await prepared.state.fetchAll())
    }

    registerAsync("PG Scan: PostgresNIO connection", scanConfiguration, setup: { schema -> NIOConnectionContender in
        let nio = try await NIOConnectionContender(schema: schema)
        try checkScan(await nio.fetchAll())
        return nio
    }, teardown: { await $0.state.shutdown() }) { _, prepared in
        blackHole(try await prepared.state.fetchAll())
    }
}

func registerNIOInsert() {
    registerAsync("PG Insert: PostgresNIO client", insertConfiguration, rows: 0, setup: { schema in
        NIOClientContender(schema: schema)
    }, teardown: { prepared in
        await prepared.state.shutdown()
        try checkInserted(prepared)
    }) { benchmark, prepared in
        try prepared.admin.execute("TRUNCATE items")
        benchmark.startMeasurement()
        try await prepared.state.insert(contentsOf: Fixture.items)
    }

    registerAsync("PG Insert: PostgresNIO connection", insertConfiguration, rows: 0, setup: { schema in
        try await NIOConnectionContender(schema: schema)
    }, teardown: { prepared in
        await prepared.state.shutdown()
        try checkInserted(prepared)
    }) { benchmark, prepared in
        try prepared.admin.execute("TRUNCATE items")
        benchmark.startMeasurement()
        try await prepared.state.insert(contentsOf: Fixture.items)
    }
}

func registerNIOBigScan() {
    registerAsync("PG BigScan: PostgresNIO client", bigScanConfiguration, rows: Fixture.bigRowCount, setup: { schema in
        NIOClientContender(schema: schema)
    }, teardown: { await $0.state.shutdown() }) { benchmark, prepared in
        try await measureMemory(benchmark) {
            var tally = BigScanTally()
            try await prepared.state.forEach { tally.add($0) }
            try tally.check()
        }
    }
}
