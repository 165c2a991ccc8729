import CLibPQ
import Driftless

/// libpq's cancel object for one connection (`PQgetCancel`), independent of the connection
/// itself, so a request can be sent from another thread while the connection is busy.
final class PostgresCancelHandle: @unchecked Sendable {
    private let handle: OpaquePointer

    /// The one thread that sends every cancel request of the process: requests are rare, and
    /// each blocks for a connection to the server.
    static let sender = BackendThread(name: "driftless-pgc")

    init(_ handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        PQfreeCancel(handle)
    }

    /// Sends the request and waits until the server has handled it (`PQcancel` is
    /// thread-safe and returns after the server closed the request's connection).
    func send() {
        var message = [CChar](repeating: 0, count: 256)
        _ = PQcancel(handle, &message, Int32(message.count))
    }
}
