import Driftless
import Foundation
import Synchronization
import Testing

/// The `async` API on every backend: where its C calls run, that many tasks all progress,
/// first-come-first-served waiting, cancellation, timeouts, and transactions with `async`
/// bodies.
enum AsyncConformance {
    /// A statement that runs for minutes on both backends unless interrupted.
    static let endlessQuery = """
        WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000000) SELECT count(*) FROM c
        """

    static func createTraced<D: TestDatabase>(in db: D, tag: String, rows: ClosedRange<Int64>? = nil) throws {
        try db.executeRaw("CREATE TABLE traced (id \(db.sqlType(.integer)) PRIMARY KEY, tag \(db.sqlType(.text)) NOT NULL, name \(db.sqlType(.text)) NOT NULL)")
        if let rows {
            try db.executeRaw("INSERT INTO traced (id, tag, name) VALUES "
                + rows.map { "(\($0), '\(tag)', 'row \($0)')" }.joined(separator: ", "))
        }
    }

    // MARK: Where C calls run

    /// Every `async` method runs its statements on a thread the database owns, with no task
    /// running there: checked by the statement probe and by the record's own decoding and
    /// encoding, which run right next to the C calls.
    static func callsLeaveTheCooperativePool<D: TestDatabase>(in db: D, sites: ExecutionSites) async throws {
        let tag = sites.tag
        try createTraced(in: db, tag: tag)
        let traced = db.repository(TracedRecord.self)
        func record(_ id: Int64, _ name: String = "name") -> TracedRecord { TracedRecord(id: id, tag: tag, name: name) }
        func expectOffPool(_ call: String, _ body: () async throws -> Void) async throws {
            let start = sites.count
            try await body()
            let seen = sites.sites(since: start)
            #expect(!seen.isEmpty, "\(call): no statement reached the probe")
            let foreign = seen.filter { !$0.isOffCooperativePool }
            #expect(foreign.isEmpty, "\(call) ran \(foreign.count) of \(seen.count) C-facing steps at \(foreign.prefix(3))")
        }

        try await expectOffPool("insert") { try await traced.insert(record(1)) }
        try await expectOffPool("insert(contentsOf:)") { try await traced.insert(contentsOf: (2...5).map { record($0) }) }
        try await expectOffPool("insertAndFetch") {
            let result = try await traced.insertAndFetch(record(6))
            #expect(result == record(6))
        }
        try await expectOffPool("upsert") { try await traced.upsert(record(6, "upserted")) }
        try await expectOffPool("update") { try await traced.update(record(5, "updated")) }
        try await expectOffPool("find") {
            let result = try await traced.find(Int64(5))
            #expect(result?.name == "updated")
        }
        try await expectOffPool("find(key:)") {
            let result = try await traced.find(key: [.integer(6)])
            #expect(result?.name == "upserted")
        }
        try await expectOffPool("fetchOne") {
            let result = try await traced.fetchOne(TracedRecord.order(.ascending(\.id)))
            #expect(result?.id == 1)
        }
        try await expectOffPool("fetchAll") {
            let result = try await traced.fetchAll()
            #expect(result.count == 6)
        }
        try await expectOffPool("fetchAll(sql:arguments:)") {
            let rows = try await traced.fetchAll(sql: "SELECT id, tag, name FROM traced WHERE id > \(db.placeholder(1))",
                                                 arguments: [.integer(3)])
            #expect(rows.count == 3)
        }
        try await expectOffPool("forEach") {
            var seen = 0
            try await traced.forEach { _ in seen += 1 }
            #expect(seen == 6)
        }
        try await expectOffPool("count") {
            let result = try await traced.count()
            #expect(result == 6)
        }
        try await expectOffPool("exists") {
            let result = try await traced.exists(TracedRecord.filter(\.id == 2))
            #expect(result)
        }
        try await expectOffPool("planMode") {
            let result = try await traced.planMode()
            #expect(result == .full)
        }
        try await expectOffPool("delete") {
            let result = try await traced.delete(record(6))
            #expect(result)
        }
        try await expectOffPool("delete(key:)") {
            let result = try await traced.delete(key: [.integer(5)])
            #expect(result)
        }
        try await expectOffPool("deleteAll") {
            let result = try await traced.deleteAll(TracedRecord.filter(\.id > 3))
            #expect(result == 1)
        }
        try await expectOffPool("execute") { try await db.execute("UPDATE traced SET name = 'raw'") }
        try await expectOffPool("execute(_:arguments:)") {
            let changed = try await db.execute("UPDATE traced SET name = \(db.placeholder(1)) WHERE id = \(db.placeholder(2))",
                                               arguments: [.text("bound"), .integer(1)])
            #expect(changed == 1)
        }
        try await expectOffPool("driftReport") {
            let result = try await db.driftReport(for: [TracedRecord.self])
            #expect(result.isClean)
        }
        try await expectOffPool("createMissingTables") {
            let result = try await db.createMissingTables(for: [TracedRecord.self])
            #expect(result.isEmpty)
        }
        try await expectOffPool("transaction") {
            try await db.transaction { tx in
                let inside = tx.repository(TracedRecord.self)
                try await inside.insert(record(10))
                #expect(try await inside.find(Int64(10)) == record(10))
                var seen = 0
                try await inside.forEach { _ in seen += 1 }
                #expect(seen == 4)
                try await tx.execute("UPDATE traced SET name = 'in a transaction' WHERE id = 10")
                try await tx.savepoint { savepoint in
                    try await savepoint.repository(TracedRecord.self).update(record(10, "in a savepoint"))
                }
            }
        }
        #expect(try await traced.find(Int64(10))?.name == "in a savepoint")
    }

    /// More tasks than cores, looping over `find`, all make progress, each at least half its
    /// fair share; the statements run on no more threads than the pool has connections.
    ///
    /// The tasks start together, behind a gate, and the deadline counts from then: other
    /// tests of the process may hold the cooperative threads for a while (synchronous tests
    /// run on them), which delays when the tasks first run but is not what this measures.
    static func manyTasksAllMakeProgress<D: TestDatabase>(in db: D, sites: ExecutionSites) async throws {
        try createTraced(in: db, tag: sites.tag, rows: 1...1)
        let traced = db.repository(TracedRecord.self)
        let tasks = max(8, 4 * ProcessInfo.processInfo.activeProcessorCount)
        let target = tasks * 1_000
        let total = Counter()
        let start = sites.count
        let gate = Gate()
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<tasks {
                group.addTask {
                    await gate.wait()
                    let deadline = ContinuousClock.now + .seconds(60)
                    var calls = 0
                    while total.value < target && ContinuousClock.now < deadline {
                        _ = try await traced.find(Int64(1))
                        calls += 1
                        total.increment()
                    }
                    return calls
                }
            }
            await gate.waitForArrivals(tasks)
            gate.open()
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        let sum = counts.reduce(0, +)
        #expect(sum >= target, "\(sum) calls before the deadline")
        let fairShare = Double(sum) / Double(tasks)
        for calls in counts {
            #expect(Double(calls) >= fairShare / 2, "a task made \(calls) of \(sum) calls (\(counts))")
        }
        let foreign = sites.sites(since: start).filter { !$0.isOffCooperativePool }
        #expect(foreign.isEmpty, "statements ran at \(foreign.prefix(3))")
        let threads = sites.threads(since: start).count
        #expect(threads <= db.readingPool.capacity, "\(threads) threads ran statements; the pool has \(db.readingPool.capacity) connections")
    }

    // MARK: Waiting

    /// Waiters are served first come, first served, tasks and blocking threads alike, in one
    /// queue (a pool of one reading connection, held by a cursor until everyone waits).
    static func waitersAreServedInOrder<D: TestDatabase>(in db: D, sites: ExecutionSites) async throws {
        try createTraced(in: db, tag: sites.tag, rows: 0...6)
        let traced = db.repository(TracedRecord.self)
        let pool = db.readingPool
        #expect(pool.capacity == 1)
        let gate = Gate()
        let holder = Task { try await traced.forEach(TracedRecord.filter(\.id == 0)) { _ in await gate.wait() } }
        await gate.waitForArrivals(1)
        let blocking = db.blocking.repository(TracedRecord.self)
        var waiters: [Task<Void, any Error>] = []
        var threads: [Thread] = []
        let threadsDone = DispatchGroup()
        for id in Int64(1)...6 {
            let queued = pool.waitingCount
            if id % 3 == 0 {
                threadsDone.enter()
                let thread = Thread {
                    _ = try? blocking.find(id)
                    threadsDone.leave()
                }
                thread.start()
                threads.append(thread)
            } else {
                waiters.append(Task { _ = try await traced.find(id) })
            }
            while pool.waitingCount == queued { try await Task.sleep(for: .milliseconds(2)) }
        }
        gate.open()
        try await holder.value
        for waiter in waiters { try await waiter.value }
        await withCheckedContinuation { continuation in
            threadsDone.notify(queue: .global()) { continuation.resume() }
        }
        #expect(sites.decodedIDs == [0, 1, 2, 3, 4, 5, 6])
    }

    /// A task waiting for a connection longer than the checkout timeout gets a typed error,
    /// for reads and transactions; the pool works afterwards.
    static func checkoutTimesOut<D: TestDatabase>(in db: D, timeout: Duration) async throws {
        try createTraced(in: db, tag: "t", rows: 1...1)
        let traced = db.repository(TracedRecord.self)
        let gate = Gate()
        let (readers, writer) = holdEveryConnection(of: db, gate: gate)
        await gate.waitForArrivals(readers.count + (writer == nil ? 0 : 1))
        for attempt in ["read", "transaction"] {
            let start = ContinuousClock.now
            do {
                if attempt == "read" { _ = try await traced.find(Int64(1)) } else { try await db.transaction { _ in } }
                Issue.record("\(attempt): no timeout")
            } catch let error as DriftlessError {
                #expect(error.code == .connectionTimeout, "\(attempt): \(error)")
            }
            let waited = ContinuousClock.now - start
            #expect(waited >= timeout * 0.9 && waited < timeout + .seconds(5), "\(attempt) waited \(waited)")
        }
        gate.open()
        for reader in readers { try await reader.value }
        try await writer?.value
        #expect(try await traced.count() == 1)
        try await db.transaction { tx in try await tx.repository(TracedRecord.self).insert(TracedRecord(id: 2, tag: "t", name: "")) }
    }

    /// Cursors holding every reading connection at the gate, and a transaction holding the
    /// writing one if it is not among them (PostgreSQL reads and writes from one pool).
    private static func holdEveryConnection<D: TestDatabase>(of db: D, gate: Gate)
        -> (readers: [Task<Void, any Error>], writer: Task<Void, any Error>?)
    {
        let traced = db.repository(TracedRecord.self)
        let readers = (0..<db.readingPool.capacity).map { _ in
            Task { try await traced.forEach { _ in await gate.wait() } }
        }
        guard db.writingPool !== db.readingPool else { return (readers, nil) }
        return (readers, Task { try await db.transaction { _ in await gate.wait() } })
    }

    // MARK: Cancellation

    /// A cancelled task stops waiting for a connection at once with `.cancelled`, and leaves
    /// no trace in the queue: the pool serves the next callers.
    static func cancelledWaitStopsAtOnce<D: TestDatabase>(in db: D) async throws {
        try createTraced(in: db, tag: "t", rows: 1...1)
        let traced = db.repository(TracedRecord.self)
        let gate = Gate()
        let (readers, writer) = holdEveryConnection(of: db, gate: gate)
        await gate.waitForArrivals(readers.count + (writer == nil ? 0 : 1))
        let waitingRead = Task { try await traced.find(Int64(1)) }
        let waitingWrite = Task { try await db.transaction { tx in try await tx.repository(TracedRecord.self).count() } }
        while db.writingPool.waitingCount == 0 || db.readingPool.waitingCount == 0 {
            try await Task.sleep(for: .milliseconds(5))
        }
        let cancelled = ContinuousClock.now
        waitingRead.cancel()
        waitingWrite.cancel()
        await expectCancelled(waitingRead.result, "a waiting read")
        await expectCancelled(waitingWrite.result, "a waiting transaction")
        // Well under the 30 s checkout timeout, so only the cancellation can have ended the
        // waits; roomy enough for a loaded machine (2 s was missed by 0.2 s at load 13).
        #expect(ContinuousClock.now - cancelled < .seconds(10))
        #expect(db.readingPool.waitingCount == 0 && db.writingPool.waitingCount == 0)
        gate.open()
        for reader in readers { try await reader.value }
        try await writer?.value
        #expect(try await traced.find(Int64(1)) != nil)
        try await db.transaction { tx in try await tx.repository(TracedRecord.self).insert(TracedRecord(id: 2, tag: "t", name: "")) }
        #expect(try await traced.count() == 2)
    }

    /// Cancelling a task interrupts its running statement (a query that would run for
    /// minutes) with `.cancelled`, on a reading and on the writing connection; the next
    /// calls on those connections work.
    static func cancelledStatementIsInterrupted<D: TestDatabase>(in db: D, sites: ExecutionSites) async throws {
        try createTraced(in: db, tag: sites.tag, rows: 1...3)
        let traced = db.repository(TracedRecord.self)
        let endlessRows = "SELECT count(*) AS id, '' AS tag, '' AS name FROM (\(endlessQuery.replacingOccurrences(of: "SELECT count(*) FROM c", with: "SELECT x FROM c"))) AS counted"
        let calls: [(String, @Sendable () async throws -> Void)] = [
            ("a raw read", { _ = try await traced.fetchAll(sql: endlessRows) }),
            ("a raw write", { try await db.execute(endlessQuery) }),
        ]
        for (call, body) in calls {
            let start = sites.count
            let running = Task { try await body() }
            try await waitUntilRunning(sites, since: start)
            let cancelled = ContinuousClock.now
            running.cancel()
            await expectCancelled(running.result, call)
            #expect(ContinuousClock.now - cancelled < .seconds(10), "\(call) went on after cancellation")
            // The same connections work afterwards: one writer; the reader returned last.
            #expect(try await traced.count() == 3)
            try await traced.update(TracedRecord(id: 1, tag: sites.tag, name: "after \(call)"))
        }
    }

    /// A transaction whose statement is interrupted mid-way rolls back everything it did;
    /// the connection then runs transactions again.
    static func cancelledTransactionRollsBack<D: TestDatabase>(in db: D, sites: ExecutionSites) async throws {
        let tag = sites.tag
        try createTraced(in: db, tag: tag)
        let traced = db.repository(TracedRecord.self)
        let reachedEndless = Counter()
        let start = sites.count
        let running = Task {
            try await db.transaction { tx in
                try await tx.repository(TracedRecord.self).insert(TracedRecord(id: 1, tag: tag, name: "uncommitted"))
                try await tx.savepoint { savepoint in
                    try await savepoint.repository(TracedRecord.self).insert(TracedRecord(id: 2, tag: tag, name: "uncommitted"))
                    reachedEndless.increment()
                    try await savepoint.execute(endlessQuery)
                }
            }
        }
        while reachedEndless.value == 0 { try await Task.sleep(for: .milliseconds(5)) }
        try await waitUntilRunning(sites, since: start + 1)
        running.cancel()
        await expectCancelled(running.result, "a transaction")
        #expect(try await traced.count() == 0)
        try await db.transaction { tx in
            try await tx.repository(TracedRecord.self).insert(TracedRecord(id: 3, tag: tag, name: "committed"))
        }
        #expect(try await traced.fetchAll().map(\.id) == [3])
    }

    /// Waits until the probe saw a statement start after `start`, and a little longer, so
    /// that the statement is running in C.
    private static func waitUntilRunning(_ sites: ExecutionSites, since start: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while sites.count <= start && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        try await Task.sleep(for: .milliseconds(200))
    }

    private static func expectCancelled<T>(_ result: Result<T, any Error>, _ call: String) async {
        switch result {
        case .success: Issue.record("\(call) finished despite cancellation")
        case .failure(let error as DriftlessError): #expect(error.code == .cancelled, "\(call): \(error)")
        case .failure(let error): Issue.record("\(call) threw \(error), not DriftlessError.cancelled")
        }
    }

    // MARK: Transactions

    /// Transactions with `async` bodies: commit, rollback (of writes made through the
    /// transaction's repositories, which run on its connection, unseen by others until
    /// commit), savepoints, SQL, a cursor using the transaction's other repositories, a
    /// result passed out.
    static func asyncTransactions<D: TestDatabase>(in db: D) async throws {
        try DriftConformance.createMembers(in: db, missing: [], rows: [])
        let members = db.repository(Member.self)
        try await db.transaction { tx in try await tx.repository(Member.self).insert(Member.sample(1)) }
        await #expect(throws: Rollback.self) {
            try await db.transaction { tx in
                let inside = tx.repository(Member.self)
                try await inside.insert(Member.sample(2))
                try await inside.insert(contentsOf: [Member.sample(3), Member.sample(4)])
                #expect(try await inside.count() == 4)
                #expect(try await members.count() == 1, "the pool's connections see uncommitted writes")
                throw Rollback()
            }
        }
        #expect(try await members.fetchAll().map(\.id) == [1])

        try await db.transaction { tx in
            try await tx.repository(Member.self).insert(Member.sample(3))
            _ = try? await tx.savepoint { savepoint in
                try await savepoint.repository(Member.self).insert(Member.sample(4))
                throw Rollback()
            }
            try await tx.savepoint { savepoint in
                try await savepoint.repository(Member.self).insert(Member.sample(5))
                try await savepoint.savepoint { inner in try await inner.repository(Member.self).insert(Member.sample(6)) }
            }
            try await tx.execute("UPDATE members SET name = 'changed' WHERE id = 5")
            #expect(try await tx.execute("DELETE FROM members WHERE id = \(db.placeholder(1))", arguments: [.integer(1)]) == 1)
            // A batch that fails rolls back alone (it runs in a savepoint of its own).
            await #expect(throws: (any Error).self) {
                try await tx.repository(Member.self).insert(contentsOf: [Member.sample(7), Member.sample(3)])
            }
        }
        #expect(try await members.fetchAll(Member.order(.ascending(\.id))).map(\.id) == [3, 5, 6])
        #expect(try await members.find(Int64(5))?.name == "changed")

        let renamed = try await db.transaction { tx in
            let inside = tx.repository(Member.self)
            var seen: [Int64] = []
            try await inside.forEach(Member.order(.ascending(\.id))) { member in
                seen.append(member.id)
                var renamed = member
                renamed.name = "renamed \(member.id)"
                try await inside.update(renamed)
            }
            return seen
        }
        #expect(renamed == [3, 5, 6])
        #expect(try await members.fetchAll().allSatisfy { $0.name.hasPrefix("renamed") })
    }

    /// A transaction's repository or savepoint kept past its body throws `transactionEnded`
    /// rather than running outside it (it cannot be sent to another task at all: it is not
    /// `Sendable`); the same for the blocking API.
    static func transactionScopeEndsWithIt<D: TestDatabase>(in db: D) async throws {
        try DriftConformance.createMembers(in: db, missing: [], rows: [Member.sample(1)])
        var leaked: Repository<Member, Transaction<D>>?
        var leakedTransaction: Transaction<D>?
        try await db.transaction { tx in
            leaked = tx.repository(Member.self)
            leakedTransaction = tx
            try await tx.savepoint { savepoint in leaked = savepoint.repository(Member.self) }
            await #expect(throws: DriftlessError.transactionEnded) { try await leaked?.count() }
            #expect(try await tx.repository(Member.self).count() == 1)
        }
        await #expect(throws: DriftlessError.transactionEnded) { try await leaked?.insert(Member.sample(2)) }
        await #expect(throws: DriftlessError.transactionEnded) { try await leaked?.forEach { _ in } }
        await #expect(throws: DriftlessError.transactionEnded) { try await leakedTransaction?.execute("DELETE FROM members") }
        await #expect(throws: DriftlessError.transactionEnded) { try await leakedTransaction?.savepoint { _ in } }
        #expect(try await db.repository(Member.self).count() == 1)
        try blockingTransactionScopeEndsWithIt(in: db)
    }

    private static func blockingTransactionScopeEndsWithIt<D: TestDatabase>(in db: D) throws {
        var leaked: BlockingRepository<Member, BlockingTransaction<D>>?
        try db.blocking.transaction { tx in leaked = tx.repository(Member.self) }
        #expect(throws: DriftlessError.transactionEnded) { try leaked?.insert(Member.sample(3)) }
        #expect(try db.blocking.repository(Member.self).count() == 1)
    }

    /// Drift is recovered from on the `async` paths too: reads, a cursor before its first
    /// row, and inside a transaction (PostgreSQL's probe savepoint).
    static func driftRecovery<D: TestDatabase>(in db: D) async throws {
        let missing: Set<String> = ["email", "score"]
        try DriftConformance.createMembers(in: db, missing: missing, rows: (1...300).map(Member.sample))
        let members = db.repository(Member.self)
        #expect(try await members.find(Int64(2)) == Member.sample(2).reading(withMissing: missing))
        db.invalidateSchema()
        var seen = 0
        try await members.forEach { member in
            #expect(member == Member.sample(member.id).reading(withMissing: missing))
            seen += 1
        }
        #expect(seen == 300)
        db.invalidateSchema()
        try await db.transaction { tx in
            let inside = tx.repository(Member.self)
            #expect(try await inside.find(Int64(3)) == Member.sample(3).reading(withMissing: missing))
            try await inside.insert(Member.sample(301).reading(withMissing: missing))
            db.invalidateSchema()
            var inTransaction = 0
            try await inside.forEach { _ in inTransaction += 1 }
            #expect(inTransaction == 301)
        }
        #expect(try await members.count() == 301)
    }
}

/// A counter shared by tasks.
final class Counter: Sendable {
    private let count = Atomic<Int>(0)
    var value: Int { count.load(ordering: .relaxed) }
    func increment() { count.add(1, ordering: .relaxed) }
}

/// Tasks wait at the gate until it opens; the test can wait until a number of them arrived.
final class Gate: Sendable {
    private struct State {
        var isOpen = false
        var arrivals = 0
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    func wait() async {
        await withCheckedContinuation { continuation in
            let proceed = state.withLock { state -> Bool in
                state.arrivals += 1
                if state.isOpen { return true }
                state.waiting.append(continuation)
                return false
            }
            if proceed { continuation.resume() }
        }
    }

    func waitForArrivals(_ count: Int) async {
        while state.withLock({ $0.arrivals }) < count {
            try? await Task.sleep(for: .milliseconds(2))
        }
    }

    func open() {
        let waiting = state.withLock { state in
            state.isOpen = true
            defer { state.waiting.removeAll() }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }
}

private struct Rollback: Error {}
