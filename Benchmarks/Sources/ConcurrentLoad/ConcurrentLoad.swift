import Benchmark
import Dispatch
import Foundation
import Synchronization

/// Many tasks calling one `async` operation at once, as a server's requests do: how many
/// calls a second they get through, how long each waited, and how many threads the
/// process ran meanwhile.
public struct ConcurrentLoad: Sendable {
    /// Tasks started at once.
    public var tasks: Int
    /// Calls each task makes, one after the other.
    public var callsPerTask: Int

    public init(tasks: Int, callsPerTask: Int) {
        self.tasks = tasks
        self.callsPerTask = callsPerTask
    }

    public struct Result: Sendable {
        /// Calls completed per second of wall clock, all tasks together.
        public var callsPerSecond: Int
        /// Latency of one call (from the moment it was made, so including the wait for a
        /// connection), median and 99th percentile, in nanoseconds.
        public var medianNanoseconds: Int
        public var p99Nanoseconds: Int
        /// The most threads the process had while the load ran (`/proc/self/task`).
        public var peakThreads: Int
        /// Of those, the most that were Driftless's own (named `driftless-*`).
        public var peakDriftlessThreads: Int
    }

    /// Runs the load: `call` is made `tasks × callsPerTask` times, with the task's index
    /// and its call's index.
    public func run(_ call: @escaping @Sendable (Int, Int) async throws -> Void) async throws -> Result {
        let sampler = ThreadSampler()
        let start = DispatchTime.now().uptimeNanoseconds
        let latencies = try await withThrowingTaskGroup(of: [Int].self) { group in
            for task in 0..<tasks {
                group.addTask {
                    var latencies: [Int] = []
                    latencies.reserveCapacity(callsPerTask)
                    for index in 0..<callsPerTask {
                        let begin = DispatchTime.now().uptimeNanoseconds
                        try await call(task, index)
                        latencies.append(Int(DispatchTime.now().uptimeNanoseconds - begin))
                    }
                    return latencies
                }
            }
            return try await group.reduce(into: [Int]()) { $0 += $1 }
        }
        let elapsed = max(1, Int(DispatchTime.now().uptimeNanoseconds - start))
        let (peak, driftless) = sampler.stop()
        let sorted = latencies.sorted()
        return Result(
            callsPerSecond: Int(Double(sorted.count) * 1e9 / Double(elapsed)),
            medianNanoseconds: sorted[sorted.count / 2],
            p99Nanoseconds: sorted[min(sorted.count - 1, sorted.count * 99 / 100)],
            peakThreads: peak, peakDriftlessThreads: driftless)
    }
}

extension ConcurrentLoad {
    public static let callsPerSecond = BenchmarkMetric.custom("calls per second", useScalingFactor: false)
    public static let medianLatency = BenchmarkMetric.custom("call latency p50 (µs)", useScalingFactor: false)
    public static let p99Latency = BenchmarkMetric.custom("call latency p99 (µs)", useScalingFactor: false)
    public static let threads = BenchmarkMetric.custom("process threads (peak)", useScalingFactor: false)
    public static let driftlessThreads = BenchmarkMetric.custom("Driftless threads (peak)", useScalingFactor: false)

    /// The configuration of a benchmark reporting ``record(_:in:)``'s metrics.
    public static func configuration(maxDuration: Duration) -> Benchmark.Configuration {
        let metrics = [callsPerSecond, medianLatency, p99Latency, threads, driftlessThreads]
        return Benchmark.Configuration(
            metrics: [.wallClock] + metrics, timeUnits: .milliseconds,
            units: Dictionary(uniqueKeysWithValues: metrics.map { ($0, BenchmarkUnits.count) }),
            warmupIterations: 1, scalingFactor: .one, maxDuration: maxDuration, maxIterations: 30)
    }

    /// Reports a run's figures as the benchmark's measurements.
    public static func record(_ result: Result, in benchmark: Benchmark) {
        benchmark.measurement(callsPerSecond, result.callsPerSecond)
        benchmark.measurement(medianLatency, result.medianNanoseconds / 1_000)
        benchmark.measurement(p99Latency, result.p99Nanoseconds / 1_000)
        benchmark.measurement(threads, result.peakThreads)
        benchmark.measurement(driftlessThreads, result.peakDriftlessThreads)
    }
}

/// Counts the process's threads every millisecond, on a thread of its own, until stopped.
final class ThreadSampler: Sendable {
    private let state = Mutex<(stopped: Bool, peak: Int, driftless: Int)>((false, 0, 0))
    private let done = DispatchSemaphore(value: 0)

    init() {
        Thread { [self] in
            while true {
                let (all, ours) = Self.count()
                let stopped = state.withLock { state in
                    state.peak = max(state.peak, all)
                    state.driftless = max(state.driftless, ours)
                    return state.stopped
                }
                if stopped { break }
                usleep(1_000)
            }
            done.signal()
        }.start()
    }

    /// The peaks, not counting the sampler's own thread.
    func stop() -> (threads: Int, driftless: Int) {
        state.withLock { $0.stopped = true }
        done.wait()
        return state.withLock { ($0.peak - 1, $0.driftless) }
    }

    /// The process's threads, and those named `driftless-*`.
    static func count() -> (all: Int, driftless: Int) {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        let ours = tasks.filter { task in
            let name = (try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8)) ?? ""
            return name.hasPrefix("driftless-")
        }
        return (tasks.count, ours.count)
    }
}
