import Foundation

/// Polls `/status` of every live process, to time catch-up after each migration.
final class StatusPoller: @unchecked Sendable {
    struct Status: Codable {
        var release: String
        var plain: Bool
        var plans: [String: String]
        var statistics: [String: Int]
        var migrationsApplied: [String]
        var migrationStartedMs: Int64?
    }

    struct Sample {
        var ms: Int64
        var port: Int
        var status: Status
        var allFull: Bool { status.plans.values.allSatisfy { $0 == "full" || $0 == "plain" } }
        var generation: Int { status.statistics["schemaGeneration"] ?? 0 }
    }

    let control: Control
    let intervalMs: Int
    private let lock = NSLock()
    private var collected: [Sample] = []
    private var connections: [Int: HTTPConnection] = [:]

    init(control: Control, intervalMs: Int) {
        self.control = control
        self.intervalMs = intervalMs
    }

    var samples: [Sample] { lock.withLock { collected } }

    func run() {
        while !control.stopRequested {
            for port in control.ports {
                let connection = connections[port] ?? HTTPConnection(port: port)
                connections[port] = connection
                guard case .response(let response) = connection.send("GET", "/status"), response.status == 200,
                      let status = try? JSONDecoder().decode(Status.self, from: Data(response.body))
                else {
                    connections[port] = nil
                    continue
                }
                let sample = Sample(ms: nowMs(), port: port, status: status)
                lock.withLock { collected.append(sample) }
            }
            Thread.sleep(forTimeInterval: Double(intervalMs) / 1000)
        }
    }
}
