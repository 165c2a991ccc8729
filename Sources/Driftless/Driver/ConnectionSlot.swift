import Synchronization

/// One place of a ``ConnectionPool``: a connection (opened on first use, reopened when it
/// breaks) and the thread its `async` work runs on (started on first `async` use).
///
/// A slot has one holder at a time (a synchronous caller, a job, or a lease) and only the
/// holder touches its connection fields; the pool's lock hands it from one holder to the next.
/// Not generic (see ``PoolWaiter``): the pool casts the connection back to its type.
@usableFromInline
final class ConnectionSlot: @unchecked Sendable {
    let name: String
    var connection: AnyObject?
    /// When it was last returned, in `DispatchTime` nanoseconds.
    var idleSince: UInt64 = 0
    /// Whether the next holder must check the connection first (set when it is returned).
    var needsCheck = true
    /// Whether the next holder must close the connection and open a new one (the server
    /// probably restarted while it was idle).
    var isStale = false
    private let thread = Mutex<BackendThread?>(nil)

    init(name: String) {
        self.name = name
    }

    /// The slot's thread, started on first use.
    var backendThread: BackendThread {
        thread.withLock { thread in
            if let thread { return thread }
            let started = BackendThread(name: name)
            thread = started
            return started
        }
    }

    /// Ends the thread, if one was started, once its queue is empty.
    func stopThread() {
        thread.withLock { $0?.stop() }
    }
}
