import CLibPQ
import Dispatch
import Driftless
import Foundation
import Synchronization

/// Opens libpq connections, the whole attempt bounded by one deadline.
///
/// libpq's `connect_timeout` bounds each host, not the attempt: a URL listing many hosts
/// that do not answer, or whose names do not resolve (a name lookup is not covered by
/// `connect_timeout` at all), takes as many timeouts as there are hosts. So the connection is
/// made by `PQconnectdbParams` (which keeps libpq's own host order, failover and
/// `target_session_attrs`) on a thread of its own, and the caller waits for it until the
/// deadline only; a connection that completes after it is closed by that thread.
///
/// The deadline is ``PostgresConfiguration/connectTimeout``, or the `connect_timeout` the
/// parameters or `PGCONNECT_TIMEOUT` give if that is longer. Unless they give one, each host
/// gets libpq's `connect_timeout` of the deadline shared among the hosts (at least libpq's
/// 2 s), so that a host that does not answer leaves time for the next.
enum PostgresConnector {
    static func connect(_ configuration: PostgresConfiguration) throws -> OpaquePointer {
        let parameters = try connectionParameters(configuration)
        let deadline = Self.deadline(configuration)
        let attempt = Attempt()
        let thread = Thread {
            let handle = parameters.withKeywordsAndValues { PQconnectdbParams($0, $1, 0) }
            attempt.finish(handle)
        }
        thread.name = "driftless.postgres.connect"
        thread.start()
        guard let finished = attempt.wait(seconds: deadline) else {
            throw DatabaseError(
                kind: .cannotOpen,
                message: "cannot connect to \(configuration.targetDescription): no connection within \(deadline) s (connectTimeout)")
        }
        guard let handle = finished else {
            throw DatabaseError(kind: .cannotOpen, message: "cannot connect to \(configuration.targetDescription): out of memory")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let reason = PostgresErrorClassifier.trimmed(String(cString: PQerrorMessage(handle)))
            PQfinish(handle)
            throw DatabaseError(kind: .cannotOpen, message: "cannot connect to \(configuration.targetDescription): \(reason)")
        }
        return handle
    }

    /// The parameters sent to libpq: the configuration's, checked (a NUL would cut a value
    /// short; an encoding other than UTF-8 would make the server read Swift's strings, and
    /// the SQL Driftless renders, as another text), with `connect_timeout`, `client_encoding`
    /// and `fallback_application_name` added.
    static func connectionParameters(_ configuration: PostgresConfiguration) throws -> [(keyword: String, value: String)] {
        var parameters = configuration.parameters
        for (keyword, value) in parameters where keyword.utf8.contains(0) || value.utf8.contains(0) {
            throw PostgresConfigurationError(
                .nulCharacter, component: PostgresKeywordParser.isKnownKeyword(keyword) ? keyword : "a parameter",
                detail: "libpq would read it only up to the NUL character").databaseError
        }
        if let encoding = configuration.parameter("client_encoding"), !isUTF8(encoding) {
            throw PostgresConfigurationError(
                .unsupportedValue, component: "client_encoding",
                detail: "Driftless sends and reads UTF-8 text; leave client_encoding out or set it to UTF8").databaseError
        }
        let environment = ProcessInfo.processInfo.environment
        if configuration.parameter("connect_timeout") == nil, environment["PGCONNECT_TIMEOUT"] == nil {
            let hosts = max(1, (configuration.parameter("host") ?? configuration.parameter("hostaddr") ?? "")
                .utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).count)
            parameters.append(("connect_timeout", String(max(2, Int(deadline(configuration)) / hosts))))
        }
        parameters.removeAll { $0.keyword == "client_encoding" }
        parameters.append(("client_encoding", "UTF8"))
        parameters.append(("fallback_application_name", "driftless"))
        return parameters
    }

    /// Seconds the whole attempt may take.
    static func deadline(_ configuration: PostgresConfiguration) -> Double {
        let (seconds, attoseconds) = configuration.connectTimeout.components
        let configured = Double(seconds) + Double(attoseconds) / 1e18
        let given = (configuration.parameter("connect_timeout") ?? ProcessInfo.processInfo.environment["PGCONNECT_TIMEOUT"])
            .flatMap { Double($0.trimmingCharacters(in: .whitespaces)) } ?? 0
        return max(configured, given)
    }

    /// PostgreSQL's spellings of UTF-8 (`UTF8`, `utf-8`, `unicode`): case and punctuation aside.
    private static func isUTF8(_ name: String) -> Bool {
        let letters = String(name.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) })
        return letters == "utf8" || letters == "unicode"
    }

    /// A connection attempt shared by the connecting thread and the waiting caller: whoever
    /// comes second owns the handle (the caller uses it; the thread closes one nobody waits for).
    private final class Attempt: Sendable {
        private enum State { case connecting, connected(Handle), abandoned }
        private struct Handle: @unchecked Sendable { let pointer: OpaquePointer? }
        private let state = Mutex<State>(.connecting)
        private let done = DispatchSemaphore(value: 0)

        func finish(_ handle: OpaquePointer?) {
            let abandoned = state.withLock { state -> Bool in
                if case .abandoned = state { return true }
                state = .connected(Handle(pointer: handle))
                return false
            }
            if abandoned { PQfinish(handle) } else { done.signal() }
        }

        /// The handle (nil only when libpq is out of memory), or nil after `seconds`.
        func wait(seconds: Double) -> OpaquePointer?? {
            _ = done.wait(timeout: .now() + .nanoseconds(Int(seconds * 1e9)))
            return state.withLock { state -> OpaquePointer?? in
                if case .connected(let handle) = state { return .some(handle.pointer) }
                state = .abandoned
                return nil
            }
        }
    }
}

extension Array where Element == (keyword: String, value: String) {
    /// Runs `body` with NULL-terminated C arrays of the keywords and values.
    func withKeywordsAndValues<T>(
        _ body: (UnsafePointer<UnsafePointer<CChar>?>, UnsafePointer<UnsafePointer<CChar>?>) -> T
    ) -> T {
        let keywords = map { strdup($0.keyword).map { UnsafePointer($0) } } + [nil]
        let values = map { strdup($0.value).map { UnsafePointer($0) } } + [nil]
        defer { for pointer in keywords + values { free(UnsafeMutablePointer(mutating: pointer)) } }
        return keywords.withUnsafeBufferPointer { keywords in
            values.withUnsafeBufferPointer { values in body(keywords.baseAddress!, values.baseAddress!) }
        }
    }
}
