/// A database as the core drives it: connections for reading and writing, transactions,
/// and the drift state its repositories share.
///
/// The sync methods run on the caller's thread; the async ones run the same work on threads
/// of the backend's own, never on Swift's cooperative pool.
public protocol DatabaseDriver: Sendable {
    associatedtype Connection: DriverConnection

    /// The schema map, plan cache and drift monitor of this database.
    var driftContext: DriftContext { get }

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
