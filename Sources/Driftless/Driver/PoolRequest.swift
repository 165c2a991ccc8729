import Dispatch
import Synchronization

/// Where an `async` request of a pool stands, shared with its task's cancellation handler.
///
/// A cancelled request that still waits for a connection is withdrawn from the queue; one
/// whose statement runs has its connection interrupted (``DriverConnection/interrupt()``).
/// Interrupting happens under the lock and only while the request runs, so a late
/// cancellation can never interrupt the next user of the same connection.
final class RequestCancellation<Connection: DriverConnection>: Sendable {
    private enum Phase {
        case pending
        case running(Connection)
        case finished
    }

    private struct State {
        var phase = Phase.pending
        var cancelled = false
        var interrupted = false
    }

    private let state = Mutex(State())

    /// Marks the request cancelled and interrupts its statement if one runs. Returns true when
    /// the request has not started, so the caller should withdraw it from the queue.
    func cancel() -> Bool {
        state.withLock { state in
            state.cancelled = true
            switch state.phase {
            case .pending:
                return true
            case .running(let connection):
                state.interrupted = true
                connection.interrupt()
                return false
            case .finished:
                return false
            }
        }
    }

    var isCancelled: Bool { state.withLock { $0.cancelled } }

    /// Moves to running on `connection`; false if the request was cancelled first.
    func start(on connection: Connection) -> Bool {
        state.withLock { state in
            guard !state.cancelled else { return false }
            state.phase = .running(connection)
            return true
        }
    }

    /// Moves to finished (or granted, for a lease); returns whether its statement was interrupted.
    func finish() -> Bool {
        state.withLock { state in
            state.phase = .finished
            return state.interrupted
        }
    }

    /// Moves a lease request to granted; false if it was cancelled first.
    func grant() -> Bool {
        state.withLock { state in
            guard !state.cancelled else { return false }
            state.phase = .finished
            return true
        }
    }
}

/// An `async` call's work, waiting for a connection and then run on the connection's thread.
protocol PoolJob<Connection>: AnyObject, Sendable {
    associatedtype Connection: DriverConnection
    var cancellation: RequestCancellation<Connection> { get }
    /// Runs the work on `connection` (unless cancelled first) and keeps the outcome.
    func run(on connection: Connection)
    /// Resumes the caller with the kept outcome.
    func complete()
    /// Resumes the caller with an error, the work never having run.
    func fail(_ error: any Error)
}

/// A job with its result type and the continuation of the task awaiting it.
///
/// Its fields are written by one party at a time (the task before submitting, then the
/// thread that runs it), each hand-over going through a lock or a thread's queue.
final class JobRequest<Connection: DriverConnection, T: Sendable>: PoolJob, @unchecked Sendable {
    let cancellation = RequestCancellation<Connection>()
    private let body: @Sendable (Connection) throws -> T
    var continuation: CheckedContinuation<T, any Error>?
    private var outcome: Result<T, any Error>?

    init(_ body: @escaping @Sendable (Connection) throws -> T) {
        self.body = body
    }

    func run(on connection: Connection) {
        guard cancellation.start(on: connection) else {
            outcome = .failure(DriftlessError.cancelled)
            return
        }
        let result = Result { try body(connection) }
        guard cancellation.finish() else {
            outcome = result
            return
        }
        // A request that may still be travelling (PostgreSQL's cancel request) must arrive
        // before the connection runs anything else, or it would cancel that instead.
        connection.waitForInterrupts()
        outcome = result.mapError { error in
            if let error = error as? DatabaseError, error.kind == .interrupted {
                return DriftlessError(.cancelled, detail: "its statement was interrupted")
            }
            return error
        }
    }

    func complete() {
        continuation?.resume(with: outcome ?? .failure(DriftlessError.cancelled))
        continuation = nil
    }

    func fail(_ error: any Error) {
        continuation?.resume(throwing: error)
        continuation = nil
    }
}

/// A task waiting for a connection to hold over several jobs (a transaction, a cursor).
final class LeaseRequest<Connection: DriverConnection>: @unchecked Sendable {
    let cancellation = RequestCancellation<Connection>()
    var continuation: CheckedContinuation<ConnectionLease<Connection>, any Error>?

    func grant(_ lease: ConnectionLease<Connection>) {
        continuation?.resume(returning: lease)
        continuation = nil
    }

    func fail(_ error: any Error) {
        continuation?.resume(throwing: error)
        continuation = nil
    }
}
