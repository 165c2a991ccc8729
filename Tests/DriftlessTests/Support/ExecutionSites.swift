@_spi(Testing) import Driftless
import Foundation
import Synchronization

/// Where a piece of code ran: on a thread a Driftless database owns, inside a Swift task
/// (i.e. on the cooperative pool, or on whatever executor the task runs on), on which thread.
struct ExecutionSite: Sendable, CustomStringConvertible {
    let onBackendThread: Bool
    let inTask: Bool
    let thread: UInt

    /// The calling code's site.
    static var current: ExecutionSite {
        #if canImport(Darwin)
        let thread = UInt(bitPattern: pthread_self())
        #else
        let thread = UInt(pthread_self())
        #endif
        return ExecutionSite(onBackendThread: BackendThread.isCurrent,
                             inTask: withUnsafeCurrentTask { $0 != nil }, thread: thread)
    }

    /// Off Swift's cooperative pool: on a backend thread, with no task running there.
    var isOffCooperativePool: Bool { onBackendThread && !inTask }

    var description: String {
        "\(onBackendThread ? "backend" : "foreign") thread \(String(thread, radix: 16))\(inTask ? " inside a task" : "")"
    }
}

/// The sites a database's statements ran at (through ``DriftConfiguration``'s statement
/// probe) and where ``TracedRecord``s of one tag were decoded and encoded: the C-facing code
/// paths of every call.
final class ExecutionSites: Sendable {
    /// Tells this recorder's records apart from those of tests running in parallel.
    let tag = UUID().uuidString
    private let sites = Mutex<[ExecutionSite]>([])
    private let decoded = Mutex<[Int64]>([])

    private static let byTag = Mutex<[String: ExecutionSites]>([:])

    init() {
        Self.byTag.withLock { $0[tag] = self }
    }

    /// Drift settings whose probe records here.
    var drift: DriftConfiguration {
        var drift = DriftConfiguration(logger: LogCapture.silentLogger)
        drift.statementProbe = { [weak self] in self?.record() }
        return drift
    }

    func record() {
        let site = ExecutionSite.current
        sites.withLock { $0.append(site) }
    }

    /// Records the caller's site for the recorder of `tag`, and the id of a record it decoded.
    static func record(tag: String, decoded id: Int64? = nil) {
        guard let sites = byTag.withLock({ $0[tag] }) else { return }
        sites.record()
        if let id { sites.decoded.withLock { $0.append(id) } }
    }

    /// The ids of the records decoded, in order.
    var decodedIDs: [Int64] { decoded.withLock { $0 } }

    var count: Int { sites.withLock { $0.count } }

    func sites(since start: Int) -> [ExecutionSite] {
        sites.withLock { Array($0[min(start, $0.count)...]) }
    }

    /// The distinct threads seen since `start`.
    func threads(since start: Int) -> Set<UInt> {
        Set(sites(since: start).map(\.thread))
    }
}

/// A record whose decoding and encoding note where they run (under its `tag`).
struct TracedRecord: Record, Equatable {
    var id: Int64
    var tag: String
    var name: String

    /// Read by the `tag` column's encoder, while binding, right before C is called.
    var taggedForWriting: String {
        ExecutionSites.record(tag: tag)
        return tag
    }

    static let schema = RecordSchema<TracedRecord>(table: "traced") {
        Column("id", \.id, primaryKey: true)
        Column("tag", \.taggedForWriting, default: "")
        Column("name", \.name, default: "")
    }

    init(id: Int64, tag: String, name: String) {
        self.id = id
        self.tag = tag
        self.name = name
    }

    init(row: Row) throws {
        id = try row.decode(at: 0)
        tag = try row.decode(at: 1)
        name = try row.decode(at: 2)
        ExecutionSites.record(tag: tag, decoded: id)
    }
}
