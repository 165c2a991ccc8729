import Benchmark
import ConcurrentLoad
import Driftless
import DriftlessPostgres

// 1,000 tasks at once, 10 finds each, against the default pool of 8 connections:
// throughput, median and p99 latency of a call (its wait for a connection included), and
// the most threads the process ran (Driftless's own: one per connection, plus the LISTEN
// connection's).

func registerConcurrency() {
    registerAsync("PG Concurrency: 1,000 tasks, pool of 8", ConcurrentLoad.configuration(maxDuration: .seconds(15)), setup: { schema -> (PostgresDatabase, AsyncItems) in
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
        ConcurrentLoad.record(result, in: benchmark)
    }
}
