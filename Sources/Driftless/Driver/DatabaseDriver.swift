import Dispatch

/// A database as the core drives it: connections for reading and writing, transactions,
/// and the drift state its repositories share.
///
/// The sync methods run on the caller's thread; the async ones run the same work on threads
/// of the backend's own, never on Swift's cooperative pool.
public protocol DatabaseDriver: Sendable {
    associatedtype Connection: DriverConnection

    /// The schema map, plan cache and drift monitor of this database.
    var driftContext: DriftContext { get }
    /// The queue the `async` methods run their blocking work on: never Swift's
    /// cooperative pool.
    var blockingQueue: DispatchQueue { get }

    /// Runs `body` with a connection suited to reading.
    func read<T>(_ body: (Connection) throws -> T) throws -> T
    /// Runs `body` with the connection that writes.
    func write<T>(_ body: (Connection) throws -> T) throws -> T
    /// Runs `body` inside a transaction on `connection` (a savepoint if one is open), commits
    /// if it returns and rolls back if it throws.
    func inTransaction<T>(on connection: Connection, _ body: () throws -> T) throws -> T

    /// Runs `body` with a reading connection on a thread of the backend's.
    func read<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T
    /// Runs `body` with the writing connection on a thread of the backend's.
    func write<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T
}

extension DatabaseDriver {
    public func read<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        try await offCooperativePool { try self.read(body) }
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        try await offCooperativePool { try self.write(body) }
    }

    /// Runs blocking work on ``blockingQueue`` and resumes the caller with its result: how
    /// every async API over this database (the repository's, the migrator's) stays off
    /// Swift's cooperative pool.
    public func offCooperativePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            blockingQueue.async { continuation.resume(with: Result { try work() }) }
        }
    }
}
