import Driftless
import DriftlessPostgres
import Foundation
import Synchronization
import Testing

/// The connection pool on a real server: its bound, its checkout timeout, the health check
/// on checkout, and what a lost connection means for reads and for writes.
@Suite(.enabled(if: TestPostgres.isEnabled, TestPostgres.skipReason)) struct PostgresPoolTests {
    private func user(_ id: Int64) -> User { User(id: id, name: "user \(id)", email: nil, plan: "free") }

    /// Runs `body` on `count` threads at once (not tasks: the cooperative pool has as many
    /// threads as cores, too few to hold several connections at once) and returns its results.
    private func inParallel<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) throws -> T) throws -> [T] {
        let results = Mutex<[Result<T, any Error>]>([])
        let group = DispatchGroup()
        for index in 0..<count {
            group.enter()
            Thread {
                let result = Result { try body(index) }
                results.withLock { $0.append(result) }
                group.leave()
            }.start()
        }
        group.wait()
        return try results.withLock { $0 }.map { try $0.get() }
    }

    /// The integers a one-column query returns.
    private func integers(_ db: PostgresDatabase, _ sql: String) throws -> [Int64] {
        try db.read { connection in
            let statement = try connection.prepare(sql)
            defer { statement.reset() }
            var values: [Int64] = []
            while try statement.step() {
                if case .integer(let value) = statement.value(at: 0) { values.append(value) }
            }
            return values
        }
    }

    @Test func aCheckoutThatFindsEveryConnectionBusyTimesOutWithATypedError() throws {
        let db = try PostgresFixture(maximumConnectionCount: 1, checkoutTimeout: .milliseconds(200)).database
        try db.blocking.execute(User.createFullTablePostgres)
        let checkedOut = DispatchSemaphore(value: 0)
        let released = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            try? db.read { _ in
                checkedOut.signal()
                Thread.sleep(forTimeInterval: 1)
            }
            released.signal()
        }
        checkedOut.wait()
        let start = ContinuousClock.now
        #expect(throws: DriftlessError.connectionTimeout(seconds: 0.2)) { try db.blocking.repository(User.self).count() }
        #expect(ContinuousClock.now - start < .milliseconds(900))
        released.wait()
        #expect(try db.blocking.repository(User.self).count() == 0)
    }

    @Test func neverOpensMoreConnectionsThanItsMaximum() throws {
        let fixture = try PostgresFixture()
        var configuration = fixture.configuration
        configuration.maximumConnectionCount = 3
        configuration.schemaChangeChannel = nil
        configuration.setParameter("application_name", "driftless_pool_bound")
        let db = try PostgresDatabase(configuration: configuration)
        let tracker = ConcurrencyTracker()
        let open = try inParallel(12) { _ in
            try db.read { connection -> Int64 in
                tracker.enter()
                defer { tracker.leave() }
                let statement = try connection.prepare("""
                    SELECT count(*) FROM pg_stat_activity, pg_sleep(0.05)
                    WHERE application_name = 'driftless_pool_bound'
                    """)
                defer { statement.reset() }
                _ = try statement.step()
                guard case .integer(let open) = statement.value(at: 0) else { return -1 }
                return open
            }
        }
        let mostOpen = open.max() ?? 0
        #expect(mostOpen >= 2 && mostOpen <= 3)
        #expect(tracker.most >= 2 && tracker.most <= 3)
    }

    @Test func idleConnectionsTheServerClosedAreReplacedOnCheckout() async throws {
        let fixture = try PostgresFixture(maximumConnectionCount: 3)
        let db = fixture.database
        try await db.execute(User.createFullTablePostgres)
        let users = db.repository(User.self)
        try await users.insert(contentsOf: (1...10).map(user))
        // Open all three connections.
        let before = Set(try inParallel(3) { _ in try integers(db, "SELECT pg_backend_pid() FROM pg_sleep(0.2)") }.joined())
        #expect(before.count == 3)
        try fixture.executeAsAdministrator("""
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = '\(fixture.databaseName)' AND pid <> pg_backend_pid()
            """)
        try await Task.sleep(for: .milliseconds(200))
        // Nothing fails: neither the write nor the reads ever meet a dead connection. (The
        // write first: a read that met one would be retried and drain the pool.)
        try await users.insert(user(11))
        #expect(try await users.count() == 11)
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<6 { group.addTask { try await users.count() } }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(counts == Array(repeating: 11, count: 6))
        let after = try integers(db, "SELECT pg_backend_pid()")
        #expect(before.isDisjoint(with: after))
    }

    @Test func aWriteWhoseOutcomeIsUnknownReportsConnectionLost() throws {
        let fixture = try PostgresFixture(maximumConnectionCount: 2)
        let db = fixture.database
        try db.blocking.execute(User.createFullTablePostgres)
        let users = db.blocking.repository(User.self)
        let locker = try fixture.openAnother()
        let watcher = try fixture.openAnother()
        let outcome = Mutex<Result<Void, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        try locker.blocking.transaction { tx in
            try tx.execute("LOCK TABLE users IN ACCESS EXCLUSIVE MODE")
            DispatchQueue.global().async {
                let result = Result { try users.insert(user(1)) }
                outcome.withLock { $0 = result }
                done.signal()
            }
            // The insert is on the server, waiting for our lock: kill its session.
            let deadline = ContinuousClock.now + .seconds(10)
            var waiting: [Int64] = []
            while waiting.isEmpty && ContinuousClock.now < deadline {
                Thread.sleep(forTimeInterval: 0.02)
                waiting = try integers(watcher, """
                    SELECT pid FROM pg_stat_activity
                    WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'INSERT%'
                    """)
            }
            try #require(waiting.count == 1)
            try fixture.executeAsAdministrator("SELECT pg_terminate_backend(\(waiting[0]))")
            done.wait()
        }
        let result = try #require(outcome.withLock { $0 })
        #expect(throws: DatabaseError.self) { try result.get() }
        if case .failure(let error as DatabaseError) = result {
            #expect(error.kind == .connectionLost)
        }
        // Nothing is retried behind the caller's back, and the pool recovers.
        #expect(try users.count() == 0)
        try users.insert(user(2))
        #expect(try users.fetchAll().map(\.id) == [2])
    }

    @Test(.enabled(if: ThrowawayServer.isAvailable))
    func readsAndWritesSucceedAfterTheServerRestarts() async throws {
        let server = try ThrowawayServer.start()
        var configuration = try PostgresConfiguration(
            url: server.url, maximumConnectionCount: 3, drift: DriftConfiguration(logger: LogCapture.silentLogger))
        configuration.schemaChangeChannel = nil
        let db = try PostgresDatabase(configuration: configuration)
        try await db.execute(User.createFullTablePostgres)
        let users = db.repository(User.self)
        try await users.insert(contentsOf: (1...100).map(user))
        _ = try inParallel(3) { _ in try integers(db, "SELECT 1 FROM pg_sleep(0.2)") }

        try server.restart()

        // The write first: a read on a dead connection would be retried and drain the pool.
        try await users.insert(user(101))
        #expect(try await users.count() == 101)
        #expect(try await users.find(Int64(42))?.name == "user 42")
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<6 { group.addTask { try await users.count() } }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(counts == Array(repeating: 101, count: 6))
    }
    /// Many more tasks than cores and connections loop over `find` while the server
    /// restarts: every task keeps its share before the restart, and every one is served
    /// again within seconds after it (no task stalls behind others retrying connections).
    @Test(.enabled(if: ThrowawayServer.isAvailable))
    func asyncTasksKeepProgressingWhileTheServerRestarts() async throws {
        let server = try ThrowawayServer.start()
        let sites = ExecutionSites()
        var configuration = try PostgresConfiguration(url: server.url, maximumConnectionCount: 4, drift: sites.drift)
        configuration.schemaChangeChannel = nil
        let db = try PostgresDatabase(configuration: configuration)
        try await db.execute(User.createFullTablePostgres)
        let users = db.repository(User.self)
        try await users.insert(User(id: 1, name: "Ada", email: nil, plan: "pro"))

        let tasks = 12
        let restarted = RestartTime()
        let stop = Counter()
        let workers = (0..<tasks).map { _ in
            Task { () -> (before: Int, after: Int, firstAfter: ContinuousClock.Instant?) in
                var before = 0
                var after = 0
                var firstAfter: ContinuousClock.Instant?
                while stop.value == 0 {
                    do {
                        _ = try await users.find(Int64(1))
                        if restarted.instant != nil {
                            after += 1
                            if firstAfter == nil { firstAfter = ContinuousClock.now }
                        } else {
                            before += 1
                        }
                    } catch {
                        try? await Task.sleep(for: .milliseconds(5))  // the server is down
                    }
                }
                return (before, after, firstAfter)
            }
        }
        try await Task.sleep(for: .seconds(1))
        let start = sites.count
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            Thread { continuation.resume(with: Result { try server.restart() }) }.start()
        }
        let end = ContinuousClock.now
        restarted.instant = end
        try await Task.sleep(for: .seconds(2))
        stop.increment()
        var results: [(before: Int, after: Int, firstAfter: ContinuousClock.Instant?)] = []
        for worker in workers { results.append(await worker.value) }

        let fairBefore = Double(results.map(\.before).reduce(0, +)) / Double(tasks)
        let fairAfter = Double(results.map(\.after).reduce(0, +)) / Double(tasks)
        for result in results {
            #expect(Double(result.before) >= fairBefore / 2, "before the restart: \(results.map(\.before))")
            #expect(Double(result.after) >= fairAfter / 2, "after the restart: \(results.map(\.after))")
            let stalled = result.firstAfter.map { $0 - end } ?? .seconds(2)
            #expect(stalled < .seconds(1.5), "a task was first served \(stalled) after the restart")
        }
        let foreign = sites.sites(since: start).filter { !$0.isOffCooperativePool }
        #expect(foreign.isEmpty, "statements ran at \(foreign.prefix(3))")
        #expect(sites.threads(since: start).count <= 4)
    }

    /// A cancelled statement leaves its connection in the pool, usable: the next call runs
    /// on the same server session.
    @Test func aCancelledStatementLeavesItsConnectionUsable() async throws {
        let db = try PostgresFixture(maximumConnectionCount: 1).database
        let pid = "SELECT pg_backend_pid() AS value"
        let backend: @Sendable () async throws -> [Int64] = { try await Self.integers(db, pid) }
        let first = try await backend()
        let running = Task { try await db.execute("SELECT pg_sleep(60)") }
        try await Task.sleep(for: .milliseconds(300))
        running.cancel()
        do {
            try await running.value
            Issue.record("pg_sleep(60) finished despite cancellation")
        } catch let error as DriftlessError {
            #expect(error.code == .cancelled)
        }
        #expect(try await backend() == first)
        try await db.transaction { tx in
            try await tx.execute("CREATE TABLE after_cancel (id int)")
        }
        #expect(try await backend() == first)
    }

    /// The integers a one-column query returns, through the async API.
    private static func integers(_ db: PostgresDatabase, _ sql: String) async throws -> [Int64] {
        try await db.repository(IntegerRow.self).fetchAll(sql: sql).map(\.value)
    }
}

/// When the server came back, once it has.
private final class RestartTime: Sendable {
    private let value = Mutex<ContinuousClock.Instant?>(nil)
    var instant: ContinuousClock.Instant? {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}

/// One integer column, whatever its name.
private struct IntegerRow: Record {
    var value: Int64
    static let schema = RecordSchema<IntegerRow>(table: "none") { Column("value", \.value, primaryKey: true) }
    init(row: Row) throws { value = try row.decode(at: 0) }
}

/// The most bodies seen running at once.
private final class ConcurrencyTracker: Sendable {
    private let state = Mutex<(now: Int, most: Int)>((0, 0))
    var most: Int { state.withLock { $0.most } }
    func enter() { state.withLock { $0.now += 1; $0.most = max($0.most, $0.now) } }
    func leave() { state.withLock { $0.now -= 1 } }
}
