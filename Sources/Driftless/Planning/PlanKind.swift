/// What a plan does, without its values: with the record type, the key of a cached plan.
///
/// Precomputed cases (`find`, `insert`, ...) hash in a few instructions, so the hot path
/// finds its plan without rendering or hashing SQL.
@usableFromInline
enum PlanKind: Hashable, Sendable {
    case select(QueryShape)
    case find
    case count(ConditionShape?)
    case exists(ConditionShape?)
    /// An INSERT of `rows` records (one `VALUES` list each); `assignsKey` leaves the primary
    /// key out (the records' keys are NULL and the database assigns them).
    case insert(rows: Int, assignsKey: Bool)
    case insertReturning(assignsKey: Bool)
    case upsert
    case update
    case delete
    case deleteAll(ConditionShape?)
    /// An UPDATE by key of these declared columns only (sorted, without key columns).
    case updateColumns([Int])
    /// An UPDATE by filter with these assignments.
    case updateAll(ConditionShape?, [AssignmentShape])
    /// A SELECT of columns or aggregates, grouped or distinct.
    case project(ProjectionShape)

    /// The place of the kinds every record type uses in a connection's array of cached
    /// statements (``StatementCache``), after its type's ``RecordSchema/planSlots``; nil for
    /// the kinds that vary with a query, which are looked up by ``PlanKey``.
    @inlinable
    var fixedSlot: Int? {
        switch self {
        case .find: 0
        case .insert(rows: 1, assignsKey: false): 1
        case .insert(rows: 1, assignsKey: true): 2
        case .insertReturning(assignsKey: false): 3
        case .insertReturning(assignsKey: true): 4
        case .upsert: 5
        case .update: 6
        case .delete: 7
        default: nil
        }
    }

    /// How many slots ``fixedSlot`` uses per record type.
    static let fixedSlotCount = 8

    var isWrite: Bool {
        switch self {
        case .select, .find, .count, .exists, .project: false
        case .insert, .insertReturning, .upsert, .update, .delete, .deleteAll, .updateColumns, .updateAll: true
        }
    }

    /// The declared columns a write writes, when not all of them: the only missing columns
    /// whose values its write policy checks.
    var writtenColumns: [Int]? {
        if case .updateColumns(let columns) = self { return columns }
        return nil
    }
}

/// The identity of a cached plan: a record type and what the plan does.
@usableFromInline
struct PlanKey: Hashable, Sendable {
    @usableFromInline let record: ObjectIdentifier
    @usableFromInline let kind: PlanKind

    @inlinable
    init(record: ObjectIdentifier, kind: PlanKind) {
        self.record = record
        self.kind = kind
    }
}
