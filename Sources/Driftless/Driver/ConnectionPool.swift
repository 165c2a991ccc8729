import DequeModule
import Dispatch
import Synchronization

/// A bounded set of connections shared by synchronous callers and `async` tasks.
///
/// - **Waiting is first come, first served**, for threads and tasks alike, in one queue. A
///   returned connection goes straight to the longest waiter, so under load every caller gets
///   its turn and none starves.
/// - **A waiting task suspends**; it parks no thread. Its work then runs on the thread of the
///   connection it was given (a ``BackendThread``), so C calls never run on Swift's cooperative
///   pool, and no more threads run them than there are connections.
/// - **A waiting thread** (the synchronous API, for scripts and tools) blocks, then runs its
///   work on itself.
/// - **Cancellation**: a cancelled task stops waiting at once, and a running statement of
///   its is interrupted; both throw ``DriftlessError`` `.cancelled`.
/// - **Timeout**: a caller that waits longer than the checkout timeout gets
///   ``DriftlessError/connectionTimeout(seconds:)``.
///
/// Connections open lazily, each on the thread that first needs it. Each new holder first
/// asks the backend whether an idle connection is still healthy
/// (``init(name:maximumCount:checkoutTimeout:open:isReusable:isHealthy:)``): one the server
/// closed while it sat idle (a restart, `pg_terminate_backend`, an idle timeout) is replaced
/// before a statement is sent on it.
public final class ConnectionPool<Connection: DriverConnection>: Sendable {
    @usableFromInline let slots: [ConnectionSlot]
    private let state: Mutex<PoolQueue>
    private let checkoutTimeout: UInt64
    private let open: @Sendable () throws -> Connection
    private let isReusable: @Sendable (Connection) -> Bool
    private let isHealthy: (@Sendable (Connection, Duration) -> Bool)?
    /// Times out waiting tasks (a waiting thread times out by itself).
    nonisolated(unsafe) private let timer: any DispatchSourceTimer

    /// - Parameters:
    ///   - name: Names the connections' threads (`name.1`, `name.2`, ...; Linux keeps 15 bytes).
    ///   - maximumCount: The most connections open at once.
    ///   - checkoutTimeout: How long a caller waits for a free connection before
    ///     ``DriftlessError/connectionTimeout(seconds:)``.
    ///   - open: Opens a new connection, on the thread that will use it.
    ///   - isReusable: Whether a connection may be used again after its holder is done (a
    ///     broken one is closed and a fresh one opened next time). Connections left inside a
    ///     transaction never are.
    ///   - isHealthy: Checked on an idle connection before it is handed out, with how long it
    ///     sat idle; one that fails is replaced. It should be cheap (no round trip unless the
    ///     connection sat idle long). Nil (SQLite's) checks nothing, and reads no clock.
    public init(
        name: String, maximumCount: Int, checkoutTimeout: Duration,
        open: @escaping @Sendable () throws -> Connection,
        isReusable: @escaping @Sendable (Connection) -> Bool = { _ in true },
        isHealthy: (@Sendable (Connection, Duration) -> Bool)? = nil
    ) {
        let count = max(1, maximumCount)
        slots = (1...count).map { ConnectionSlot(name: "\(name).\($0)") }
        state = Mutex(PoolQueue(slots: count))
        let (seconds, attoseconds) = checkoutTimeout.components
        self.checkoutTimeout = UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000)
        self.open = open
        self.isReusable = isReusable
        self.isHealthy = isHealthy
        timer = DispatchSource.makeTimerSource(queue: .global())
        timer.setEventHandler { [weak self] in self?.expireWaiters() }
        timer.schedule(deadline: .distantFuture)
        timer.activate()
    }

    deinit {
        timer.cancel()
        for slot in slots { slot.stopThread() }
    }

    /// The most connections open at once, and so the most threads its `async` work uses.
    public var capacity: Int { slots.count }

    /// How many callers wait for a connection now (tasks and threads).
    public var waitingCount: Int { state.withLock { $0.waiters.count } }

    /// Adds an already open connection (the first one, opened eagerly to report errors early).
    public func add(_ connection: Connection) {
        guard let index = state.withLock({ $0.idle.last }), slots[index].connection == nil else { return }
        slots[index].connection = connection
        slots[index].idleSince = DispatchTime.now().uptimeNanoseconds
    }

    /// Closes the idle connections now; busy ones close when their holders are done with
    /// them, if the backend says they cannot be reused.
    public func drain() {
        let closing = state.withLock { state in
            state.idle.compactMap { index -> AnyObject? in
                defer { slots[index].connection = nil }
                return slots[index].connection
            }
        }
        _ = closing  // released here, outside the lock
    }

    /// Marks the idle connections for replacement by their next holders, on the holders'
    /// threads (after a connection was lost, the others are likely as dead).
    @usableFromInline
    func replaceIdleConnections() {
        state.withLock { state in
            for index in state.idle { slots[index].isStale = true }
        }
    }

    private var timeoutError: DriftlessError {
        DriftlessError.connectionTimeout(seconds: Double(checkoutTimeout) / 1e9)
    }

    // MARK: Synchronous callers

    /// Runs `body` with a connection, on the calling thread, waiting (blocking the thread)
    /// while every connection is busy.
    ///
    /// - Throws: ``DriftlessError/connectionTimeout(seconds:)`` when no connection becomes free
    ///   within the checkout timeout; whatever `open` throws when a connection must be opened.
    @inlinable
    public func withConnection<T>(_ body: (Connection) throws -> T) throws -> T {
        let index = try checkOutBlocking()
        defer { checkIn(index) }
        return try body(try prepare(slots[index]))
    }

    @usableFromInline
    func checkOutBlocking() throws -> Int {
        let timeout = checkoutTimeout
        let checkout = state.withLock { state -> Checkout in
            if let index = state.takeFree() { return .free(index) }
            let waiter = PoolWaiter(deadline: DispatchTime.now().uptimeNanoseconds &+ timeout)
            state.waiters.append(waiter)
            return .queued(waiter)
        }
        let waiter: PoolWaiter
        switch checkout {
        case .free(let index): return index
        case .queued(let queued): waiter = queued
        case .cancelled: throw DriftlessError.cancelled
        }
        if waiter.wake?.wait(timeout: DispatchTime(uptimeNanoseconds: waiter.deadline)) == .success,
           let index = state.withLock({ _ in waiter.granted })
        {
            return index
        }
        return try state.withLock { state in
            if let index = waiter.granted { return index }
            state.waiters.removeAll { $0 === waiter }
            throw timeoutError
        }
    }

    // MARK: Async callers

    /// Runs `body` with a connection on the connection's thread, suspending the task while
    /// every connection is busy.
    nonisolated(nonsending) func run<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        if Task.isCancelled { throw DriftlessError.cancelled }
        let job = JobRequest<Connection, T>(body)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                job.continuation = continuation
                submit(job, cancellation: job.cancellation, grant: { [self] index in
                    backendThread(of: index).enqueue { self.execute(job, on: index) }
                }, fail: job.fail)
            }
        } onCancel: {
            if job.cancellation.cancel(), withdraw(job) { job.fail(DriftlessError.cancelled) }
        }
    }

    /// A connection held by the task over several jobs, until ``ConnectionLease/release()``.
    nonisolated(nonsending) func lease() async throws -> ConnectionLease<Connection> {
        if Task.isCancelled { throw DriftlessError.cancelled }
        let request = LeaseRequest<Connection>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                request.continuation = continuation
                submit(request, cancellation: request.cancellation, grant: { [self] index in
                    if request.cancellation.grant() {
                        request.grant(ConnectionLease(pool: self, slot: index))
                    } else {
                        checkIn(index)
                        request.fail(DriftlessError.cancelled)
                    }
                }, fail: request.fail)
            }
        } onCancel: {
            if request.cancellation.cancel(), withdraw(request) { request.fail(DriftlessError.cancelled) }
        }
    }

    /// Gives the task a free slot at once, or queues it. Whether the task was cancelled is
    /// read under the lock: a cancellation handler that ran just before found nothing to
    /// withdraw.
    private func submit(
        _ request: AnyObject, cancellation: RequestCancellation<Connection>,
        grant: @escaping @Sendable (Int) -> Void, fail: @escaping @Sendable (any Error) -> Void
    ) {
        let timeout = checkoutTimeout
        let checkout = state.withLock { state -> Checkout in
            if cancellation.isCancelled { return .cancelled }
            if let index = state.takeFree() { return .free(index) }
            let waiter = PoolWaiter(request: request, deadline: DispatchTime.now().uptimeNanoseconds &+ timeout,
                                    grant: grant, fail: fail)
            state.waiters.append(waiter)
            if state.timerDeadline == nil {
                state.timerDeadline = waiter.deadline
                timer.schedule(deadline: DispatchTime(uptimeNanoseconds: waiter.deadline))
            }
            return .queued(waiter)
        }
        switch checkout {
        case .free(let index): grant(index)
        case .cancelled: fail(DriftlessError.cancelled)
        case .queued: break
        }
    }

    /// Removes a task that gave up; false if it was no longer waiting (given a connection).
    private func withdraw(_ request: AnyObject) -> Bool {
        state.withLock { $0.withdraw(request) }
    }

    /// Fails the tasks whose deadline passed and sets the timer for the next one.
    private func expireWaiters() {
        let expired = state.withLock { state in
            let (expired, next) = state.expire(now: DispatchTime.now().uptimeNanoseconds)
            // Under the lock, so that a task queued meanwhile cannot have its deadline
            // overwritten by this one.
            state.timerDeadline = next
            timer.schedule(deadline: next.map { DispatchTime(uptimeNanoseconds: $0) } ?? .distantFuture)
            return expired
        }
        let error = timeoutError
        for waiter in expired { waiter.fail?(error) }
    }

    // MARK: Handing slots over

    /// Takes a slot back from its holder and gives it to the longest waiter, if any.
    @usableFromInline
    func checkIn(_ index: Int) {
        let slot = slots[index]
        if let object = slot.connection {
            let connection = unsafeDowncast(object, to: Connection.self)
            if connection.isInTransaction || !isReusable(connection) { slot.connection = nil }
        }
        if isHealthy != nil { slot.idleSince = DispatchTime.now().uptimeNanoseconds }
        slot.needsCheck = true
        guard let next = state.withLock({ $0.giveBack(index) }) else { return }
        if let grant = next.grant { grant(index) } else { next.wake?.signal() }
    }

    /// The holder's connection: checked if it sat idle, replaced if unhealthy or stale,
    /// opened if there is none.
    @usableFromInline
    func prepare(_ slot: ConnectionSlot) throws -> Connection {
        if slot.needsCheck {
            slot.needsCheck = false
            if slot.isStale {
                slot.isStale = false
                slot.connection = nil
            }
            if let isHealthy, let object = slot.connection {
                let idleFor = Duration.nanoseconds(Int64(DispatchTime.now().uptimeNanoseconds &- slot.idleSince))
                if !isHealthy(unsafeDowncast(object, to: Connection.self), idleFor) { slot.connection = nil }
            }
        }
        if let object = slot.connection { return unsafeDowncast(object, to: Connection.self) }
        let opened = try open()
        slot.connection = opened
        return opened
    }

    /// Runs a job that waited in the queue (or found a slot free) on the slot's thread.
    private func execute(_ job: any PoolJob<Connection>, on index: Int) {
        let connection: Connection
        do {
            connection = try prepare(slots[index])
        } catch {
            checkIn(index)
            job.fail(error)
            return
        }
        job.run(on: connection)
        checkIn(index)
        job.complete()
    }

    /// Runs a job of a lease's holder on the lease's thread.
    func executeLeased(_ job: any PoolJob<Connection>, on index: Int, thenCheckIn: Bool) {
        do {
            job.run(on: try prepare(slots[index]))
        } catch {
            if thenCheckIn { checkIn(index) }
            job.fail(error)
            return
        }
        if thenCheckIn { checkIn(index) }
        job.complete()
    }

    func backendThread(of index: Int) -> BackendThread {
        slots[index].backendThread
    }
}

/// What a checkout found: a free slot, a place in the queue, or its task cancelled.
private enum Checkout {
    case free(Int)
    case queued(PoolWaiter)
    case cancelled
}
