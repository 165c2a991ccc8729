import Synchronization

/// What a database's repositories know of its live tables, shared by all its connections.
///
/// Tables start ``TableState/unknown`` and are reflected only when a statement fails for
/// drift (or a report asks). Every change bumps ``generation``, which is how connections
/// notice, with one atomic load, that their cached plans may be stale.
public final class SchemaMap: Sendable {
    private struct Entry {
        var state: TableState
        var fingerprint: Int64?
    }

    private let entries = Mutex<[TableName: Entry]>([:])
    private let currentGeneration = Atomic<Int>(0)

    public init() {}

    /// Bumped on every change to any table's state.
    public var generation: Int { currentGeneration.load(ordering: .acquiring) }

    /// What is known of a table.
    public func state(of table: TableName) -> TableState {
        entries.withLock { $0[table]?.state ?? .unknown }
    }

    /// Records a reflection. Returns whether the table's state changed.
    @discardableResult
    public func record(_ state: TableState, for table: TableName, fingerprint: Int64?) -> Bool {
        let changed = entries.withLock { entries -> Bool in
            let old = entries[table]?.state
            entries[table] = Entry(state: state, fingerprint: fingerprint)
            return old != state
        }
        if changed { currentGeneration.add(1, ordering: .releasing) }
        return changed
    }

    /// Tables reflected as drifted whose fingerprint differs from `fingerprint`.
    func reflectedTables(whereFingerprintDiffersFrom fingerprint: (TableName) throws -> Int64) rethrows -> [TableName] {
        let reflected = entries.withLock { entries in
            entries.compactMap { table, entry in entry.state == .unknown ? nil : (table, entry.fingerprint) }
        }
        return try reflected.filter { table, known in try fingerprint(table) != known }.map(\.0)
    }

    /// All tables that are reflected (not unknown).
    var reflectedTables: [TableName] {
        entries.withLock { entries in entries.compactMap { $0.value.state == .unknown ? nil : $0.key } }
    }

    /// Forgets every reflection: the next statements run optimistically again.
    public func invalidateAll() {
        entries.withLock { $0.removeAll() }
        currentGeneration.add(1, ordering: .releasing)
    }
}
