import Dispatch
import Synchronization

/// A bounded set of connections, opened lazily and handed out one caller at a time.
///
/// Checking out blocks (up to a timeout) when all are busy; use it from synchronous code or
/// from the backend's own threads, never directly from Swift's cooperative pool.
///
/// Every checkout first asks the backend whether the idle connection it is about to hand
/// out is still healthy (``init(maximumCount:checkoutTimeout:open:isReusable:isHealthy:)``):
/// a connection the server closed while it sat idle (a restart, an administrator's
/// `pg_terminate_backend`, an idle timeout) is dropped and the next one tried, or a new one
/// opened, so that the caller's statement does not fail for a reason it had no part in.
public final class ConnectionPool<Connection: AnyObject & Sendable>: Sendable {
    private struct Idle {
        let connection: Connection
        /// When it was returned, in `DispatchTime` nanoseconds.
        let since: UInt64
    }

    private let idle = Mutex<[Idle]>([])
    private let permits: DispatchSemaphore
    private let checkoutTimeout: Duration
    private let open: @Sendable () throws -> Connection
    private let isReusable: @Sendable (Connection) -> Bool
    private let isHealthy: @Sendable (Connection, Duration) -> Bool

    /// - Parameters:
    ///   - maximumCount: The most connections open at once.
    ///   - checkoutTimeout: How long a caller waits for a free connection before
    ///     ``DriftlessError/connectionTimeout(seconds:)``.
    ///   - open: Opens a new connection.
    ///   - isReusable: Whether a connection may go back to the pool after use (a broken one
    ///     is dropped and a fresh one opened next time).
    ///   - isHealthy: Checked on an idle connection before it is handed out, with how long it
    ///     sat idle; one that fails is dropped. It should be cheap (no round trip unless the
    ///     connection sat idle long).
    public init(
        maximumCount: Int, checkoutTimeout: Duration,
        open: @escaping @Sendable () throws -> Connection,
        isReusable: @escaping @Sendable (Connection) -> Bool = { _ in true },
        isHealthy: @escaping @Sendable (Connection, Duration) -> Bool = { _, _ in true }
    ) {
        permits = DispatchSemaphore(value: max(1, maximumCount))
        self.checkoutTimeout = checkoutTimeout
        self.open = open
        self.isReusable = isReusable
        self.isHealthy = isHealthy
    }

    /// Adds an already open connection (the first one, opened eagerly to report errors early).
    public func add(_ connection: Connection) {
        idle.withLock { $0.append(Idle(connection: connection, since: DispatchTime.now().uptimeNanoseconds)) }
    }

    /// Runs `body` with a connection of the pool.
    ///
    /// - Throws: ``DriftlessError/connectionTimeout(seconds:)`` when every connection stays
    ///   busy for the checkout timeout; whatever `open`
    ///   throws when a new connection is needed and cannot be opened.
    public func withConnection<T>(_ body: (Connection) throws -> T) throws -> T {
        let (seconds, attoseconds) = checkoutTimeout.components
        let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        guard permits.wait(timeout: .now() + .nanoseconds(nanoseconds)) == .success else {
            throw DriftlessError.connectionTimeout(seconds: Double(nanoseconds) / 1e9)
        }
        defer { permits.signal() }
        let connection = try checkOutIdle() ?? open()
        defer { if isReusable(connection) { add(connection) } }
        return try body(connection)
    }

    /// The most recently returned idle connection that passes the health check; unhealthy
    /// ones are dropped on the way.
    private func checkOutIdle() -> Connection? {
        while let candidate = idle.withLock({ $0.popLast() }) {
            let idleFor = Duration.nanoseconds(Int64(DispatchTime.now().uptimeNanoseconds &- candidate.since))
            if isHealthy(candidate.connection, idleFor) { return candidate.connection }
        }
        return nil
    }

    /// Closes the idle connections (by releasing them); busy ones close when returned and
    /// released by their users.
    public func drain() {
        idle.withLock { $0.removeAll() }
    }
}
