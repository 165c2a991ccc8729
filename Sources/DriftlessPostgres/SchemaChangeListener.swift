import CLibPQ
import Driftless
import Foundation
import Synchronization

/// A connection of its own that `LISTEN`s on a channel schema changers notify (the
/// migrator, or `NOTIFY driftless_schema` after a manual ALTER TABLE), and forgets every
/// reflected table when a notification arrives, so that drifted plans catch up at once
/// rather than within ``DriftConfiguration/catchUpInterval``.
///
/// It runs on a dedicated thread (never Swift's cooperative pool), reconnects after the
/// server restarts, and stops when its database is released.
final class SchemaChangeListener: Sendable {
    private let stopped = Atomic<Bool>(false)

    init(configuration: PostgresConfiguration, channel: String, onChange: @escaping @Sendable () -> Void) {
        let stopped = self.stoppedFlag
        Thread {
            Thread.current.name = "driftless-listen"  // a name set before the thread starts is lost
            SchemaChangeListener.run(configuration: configuration, channel: channel, stopped: stopped, onChange: onChange)
        }.start()
    }

    /// The flag shared with the thread (the thread must not keep the listener alive).
    private var stoppedFlag: StopFlag { StopFlag(listener: self) }

    func stop() {
        stopped.store(true, ordering: .relaxed)
    }

    var isStopped: Bool { stopped.load(ordering: .relaxed) }

    struct StopFlag: Sendable {
        weak var listener: SchemaChangeListener?
        var isSet: Bool { listener?.isStopped ?? true }
    }

    private static func run(
        configuration: PostgresConfiguration, channel: String, stopped: StopFlag,
        onChange: @Sendable () -> Void
    ) {
        var connection: PostgresConnection?
        var everConnected = false
        while !stopped.isSet {
            guard let current = connection, PQstatus(current.session.handle) == CONNECTION_OK else {
                connection = nil
                do {
                    let opened = try PostgresConnection(configuration: configuration)
                    try opened.execute("LISTEN " + PostgresDialect.postgres.quote(channel))
                    connection = opened
                    // Anything may have changed while we were not listening.
                    if everConnected { onChange() }
                    everConnected = true
                } catch {
                    Thread.sleep(forTimeInterval: 1)
                }
                continue
            }
            let handle = current.session.handle
            var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 250)
            guard ready > 0 else { continue }
            if PQconsumeInput(handle) == 0 { connection = nil; continue }
            var notified = false
            while let notification = PQnotifies(handle) {
                PQfreemem(notification)
                notified = true
            }
            if notified { onChange() }
        }
    }
}
