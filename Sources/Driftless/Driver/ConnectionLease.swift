import Synchronization

/// A connection a task holds over several jobs (a transaction, a cursor): each job runs on
/// the connection's thread, in order, and the connection goes back to its pool on
/// ``release()`` (or with the last job, ``run(interruptible:releasing:_:)``).
final class ConnectionLease<Connection: DriverConnection>: Sendable {
    private let pool: ConnectionPool<Connection>
    private let slot: Int
    private let released = Atomic<Bool>(false)

    init(pool: ConnectionPool<Connection>, slot: Int) {
        self.pool = pool
        self.slot = slot
    }

    deinit {
        release()
    }

    /// Runs `body` on the held connection, on its thread.
    ///
    /// - Parameters:
    ///   - interruptible: Whether cancelling the task interrupts `body` (and a task cancelled
    ///     already fails at once). Ending a transaction is not: its `ROLLBACK` must run.
    ///   - releasing: Returns the connection to the pool right after `body`, on its thread.
    nonisolated(nonsending) func run<T: Sendable>(
        interruptible: Bool = true, releasing: Bool = false,
        _ body: @escaping @Sendable (Connection) throws -> T
    ) async throws -> T {
        // A released slot is someone else's now.
        guard !released.load(ordering: .acquiring) else { throw DriftlessError.transactionEnded }
        let checkIn = releasing && !released.exchange(true, ordering: .acquiringAndReleasing)
        if interruptible && Task.isCancelled {
            if checkIn { checkInOnThread() }
            throw DriftlessError.cancelled
        }
        let job = JobRequest<Connection, T>(body)
        let enqueue = { [pool, slot] in
            pool.backendThread(of: slot).enqueue { pool.executeLeased(job, on: slot, thenCheckIn: checkIn) }
        }
        guard interruptible else {
            return try await withCheckedThrowingContinuation { continuation in
                job.continuation = continuation
                enqueue()
            }
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                job.continuation = continuation
                enqueue()
            }
        } onCancel: {
            _ = job.cancellation.cancel()
        }
    }

    /// Returns the connection to the pool (on its thread: deciding whether it can be reused
    /// may call into C), once; later calls do nothing.
    func release() {
        guard !released.exchange(true, ordering: .acquiringAndReleasing) else { return }
        checkInOnThread()
    }

    private func checkInOnThread() {
        let (pool, slot) = (pool, slot)
        pool.backendThread(of: slot).enqueue { pool.checkIn(slot) }
    }
}
