import Dispatch
import Synchronization

/// A bounded set of connections, opened lazily and handed out one caller at a time.
///
/// Checking out blocks (up to a timeout) when all are busy; use it from synchronous code or
/// from the backend's own threads, never directly from Swift's cooperative pool.
public final class ConnectionPool<Connection: AnyObject & Sendable>: Sendable {
    private let idle = Mutex<[Connection]>([])
    private let permits: DispatchSemaphore
    private let checkoutTimeout: Duration
    private let open: @Sendable () throws -> Connection
    private let isReusable: @Sendable (Connection) -> Bool

    /// - Parameters:
    ///   - maximumCount: The most connections open at once.
    ///   - checkoutTimeout: How long a caller waits for a free connection before
    ///     ``DriftlessError/connectionTimeout(seconds:)``.
    ///   - open: Opens a new connection.
    ///   - isReusable: Whether a connection may go back to the pool after use (a broken one
    ///     is dropped and a fresh one opened next time).
    public init(
        maximumCount: Int, checkoutTimeout: Duration,
        open: @escaping @Sendable () throws -> Connection,
        isReusable: @escaping @Sendable (Connection) -> Bool = { _ in true }
    ) {
        permits = DispatchSemaphore(value: max(1, maximumCount))
        self.checkoutTimeout = checkoutTimeout
        self.open = open
        self.isReusable = isReusable
    }

    /// Adds an already open connection (the first one, opened eagerly to report errors early).
    public func add(_ connection: Connection) {
        idle.withLock { $0.append(connection) }
    }

    /// Runs `body` with a connection of the pool.
    public func withConnection<T>(_ body: (Connection) throws -> T) throws -> T {
        let (seconds, attoseconds) = checkoutTimeout.components
        let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        guard permits.wait(timeout: .now() + .nanoseconds(nanoseconds)) == .success else {
            throw DriftlessError.connectionTimeout(seconds: Double(nanoseconds) / 1e9)
        }
        defer { permits.signal() }
        let connection = try idle.withLock { $0.popLast() } ?? open()
        defer { if isReusable(connection) { idle.withLock { $0.append(connection) } } }
        return try body(connection)
    }

    /// Closes the idle connections (by releasing them); busy ones close when returned and
    /// released by their users.
    public func drain() {
        idle.withLock { $0.removeAll() }
    }
}
