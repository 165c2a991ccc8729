import Foundation

/// Requests, failures and latencies per rollout phase.
final class Statistics: @unchecked Sendable {
    struct Phase: Codable {
        var requests = 0
        var reads = 0
        var writes = 0
        var failed = 0
        /// Requests a stopping process had not accepted, sent again to another one.
        var retriedNotAccepted = 0
        var wrongValues = 0
        var firstFailureMs: Int64?
        var lastFailureMs: Int64?
        var latenciesMs: [Double] = []
        var failureSamples: [String] = []
    }

    private let lock = NSLock()
    private var phases: [String: Phase] = [:]

    func record(phase: String, write: Bool, latencyMs: Double, retried: Bool, failure: String?, wrongValue: Bool = false) {
        lock.withLock {
            var p = phases[phase] ?? Phase()
            p.requests += 1
            if write { p.writes += 1 } else { p.reads += 1 }
            if retried { p.retriedNotAccepted += 1 }
            if wrongValue { p.wrongValues += 1 }
            if let failure {
                p.failed += 1
                let now = nowMs()
                p.firstFailureMs = p.firstFailureMs ?? now
                p.lastFailureMs = now
                if p.failureSamples.count < 5 { p.failureSamples.append(failure) }
            } else {
                p.latenciesMs.append(latencyMs)
            }
            phases[phase] = p
        }
    }

    func snapshot() -> [String: Phase] { lock.withLock { phases } }
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let rank = min(sorted.count - 1, max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1))
    return sorted[rank]
}
