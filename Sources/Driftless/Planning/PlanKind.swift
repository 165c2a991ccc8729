/// What a plan does, without its values: with the record type, the key of a cached plan.
///
/// Precomputed cases (`find`, `insert`, ...) hash in a few instructions, so the hot path
/// finds its plan without rendering or hashing SQL.
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

    var isWrite: Bool {
        switch self {
        case .select, .find, .count, .exists: false
        case .insert, .insertReturning, .upsert, .update, .delete, .deleteAll: true
        }
    }
}

/// The identity of a cached plan: a record type and what the plan does.
struct PlanKey: Hashable, Sendable {
    let record: ObjectIdentifier
    let kind: PlanKind
}
