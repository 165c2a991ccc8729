import Foundation

/// What `run.sh` tells the load tool through files in one folder: `ports` (the live processes,
/// one port a line), `phase` (the rollout step under way), `events` (timestamped lines it
/// appends), `stop` (present: finish, verify, report).
final class Control: @unchecked Sendable {
    let folder: URL
    private let lock = NSLock()
    private var livePorts: [Int] = []
    private var currentPhase = "start"
    private var next = 0
    private(set) var phases: [String] = []

    init(folder: String) {
        self.folder = URL(fileURLWithPath: folder)
        refresh()
    }

    private func read(_ name: String) -> String? {
        try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
    }

    var stopRequested: Bool { FileManager.default.fileExists(atPath: folder.appendingPathComponent("stop").path) }

    func refresh() {
        let ports = (read("ports") ?? "").split(whereSeparator: \.isNewline).compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let phase = (read("phase") ?? "start").trimmingCharacters(in: .whitespacesAndNewlines)
        lock.withLock {
            livePorts = ports
            if phase != currentPhase || phases.isEmpty {
                currentPhase = phase
                if !phases.contains(phase) { phases.append(phase) }
            }
        }
    }

    var phase: String { lock.withLock { currentPhase } }
    var ports: [Int] { lock.withLock { livePorts } }

    /// The next live port, round-robin.
    func nextPort() -> Int? {
        lock.withLock {
            guard !livePorts.isEmpty else { return nil }
            next = (next + 1) % livePorts.count
            return livePorts[next]
        }
    }

    /// `events` lines: milliseconds since 1970, then the event.
    func events() -> [(ms: Int64, text: String)] {
        (read("events") ?? "").split(whereSeparator: \.isNewline).compactMap { line in
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, let ms = Int64(parts[0]) else { return nil }
            return (ms, String(parts[1]))
        }
    }
}

func nowMs() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
