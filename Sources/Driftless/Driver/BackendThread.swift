import Dispatch
import Foundation
import Synchronization

/// A thread a database owns: where the `async` API runs its blocking C calls, so that they
/// never occupy one of the few threads of Swift's cooperative pool.
///
/// Each connection of a ``ConnectionPool`` gets one, started the first time an `async` call
/// uses that connection, so a database never runs more of them than it has connections. Work
/// runs on it one item at a time, in the order it was enqueued. After its queue empties the
/// thread polls briefly (yielding the CPU between polls) before it sleeps: an `await` that
/// comes straight back with the next statement (a loop of lookups) then finds it awake.
public final class BackendThread: Sendable {
    private struct State {
        var queue: [@Sendable () -> Void] = []
        var sleeping = false
        var stopped = false
    }

    /// The thread's name, as debuggers and `/proc/self/task/*/comm` show it.
    public let name: String
    private let state = Mutex(State())
    /// How many items wait (read without the lock while spinning).
    private let pending = Atomic<Int>(0)
    private let wake = DispatchSemaphore(value: 0)

    /// Starts a thread that runs what ``enqueue(_:)`` gives it until ``stop()``.
    public init(name: String) {
        self.name = name
        Thread { [self] in
            BackendThread.markCurrentThread(name: name)
            run()
        }.start()
    }

    /// Runs `work` on this thread after what is already queued.
    public func enqueue(_ work: @escaping @Sendable () -> Void) {
        let signal = state.withLock { state -> Bool in
            state.queue.append(work)
            guard state.sleeping else { return false }
            state.sleeping = false
            return true
        }
        pending.add(1, ordering: .releasing)
        if signal { wake.signal() }
    }

    /// Lets the thread finish what is queued and end.
    public func stop() {
        let signal = state.withLock { state -> Bool in
            state.stopped = true
            guard state.sleeping else { return false }
            state.sleeping = false
            return true
        }
        if signal { wake.signal() }
    }

    private func run() {
        var batch: [@Sendable () -> Void] = []
        while true {
            let stopped = state.withLock { state -> Bool in
                swap(&batch, &state.queue)
                return state.stopped
            }
            if !batch.isEmpty {
                pending.subtract(batch.count, ordering: .relaxed)
                for work in batch { work() }
                batch.removeAll(keepingCapacity: true)
                continue
            }
            if stopped { return }
            if spinUntilWork() { continue }
            let sleep = state.withLock { state -> Bool in
                guard state.queue.isEmpty, !state.stopped else { return false }
                state.sleeping = true
                return true
            }
            if sleep { wake.wait() }
        }
    }

    /// Polls for new work for a few microseconds, yielding the CPU between polls (the task
    /// that sends the next job may be waiting for this very CPU); true if some arrived.
    private func spinUntilWork() -> Bool {
        let start = DispatchTime.now().uptimeNanoseconds
        while DispatchTime.now().uptimeNanoseconds &- start < BackendThread.spinNanoseconds {
            if pending.load(ordering: .acquiring) > 0 { return true }
            sched_yield()
        }
        return false
    }

    /// How long an idle thread polls before it sleeps: longer than a cooperative thread
    /// takes to resume the awaiting task and send the next statement, short enough that an
    /// idle database costs no CPU to speak of.
    static let spinNanoseconds: UInt64 = 50_000

    // MARK: Where code runs

    /// Whether the calling thread is one Driftless started for a database's C calls (a
    /// connection's thread, or one running the migrator's blocking work): what tests and
    /// assertions check to prove that an `async` call left Swift's cooperative pool.
    public static var isCurrent: Bool {
        pthread_getspecific(key) != nil
    }

    /// Runs blocking work that takes connections itself (the migrator's) on a thread started
    /// for it, which ends with it, and resumes the caller with its result.
    public static func run<T: Sendable>(
        name: String, _ work: @escaping @Sendable () throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                markCurrentThread(name: name)
                continuation.resume(with: Result { try work() })
            }.start()
        }
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// Sets the marker ``isCurrent`` reads, and the thread's name (Linux keeps 15 bytes of it;
    /// a name set before the thread starts is lost).
    private static func markCurrentThread(name: String) {
        pthread_setspecific(key, UnsafeRawPointer(bitPattern: 1))
        Thread.current.name = String(decoding: name.utf8.prefix(15), as: UTF8.self)
    }
}
