import Logging
import Synchronization

/// Collects log messages, to assert on what drift reports.
final class LogCapture: Sendable {
    struct Entry: Sendable {
        let level: Logger.Level
        let message: String
        let metadata: [String: String]
    }

    private let entries = Mutex<[Entry]>([])

    var logged: [Entry] { entries.withLock { $0 } }

    var logger: Logger {
        var logger = Logger(label: "driftless.test") { _ in Handler(capture: self) }
        logger.logLevel = .trace
        return logger
    }

    /// A logger that drops everything.
    static var silentLogger: Logger { Logger(label: "driftless.test", factory: { _ in SwiftLogNoOpLogHandler() }) }

    fileprivate func append(_ entry: Entry) { entries.withLock { $0.append(entry) } }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            capture.append(Entry(level: event.level, message: "\(event.message)",
                                 metadata: (event.metadata ?? [:]).mapValues { "\($0)" }))
        }
    }
}
