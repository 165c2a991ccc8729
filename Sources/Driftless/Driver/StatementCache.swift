/// The prepared statements of one connection: one per plan, and one per raw SQL text.
///
/// A statement is cached only after it prepared successfully and is evicted as soon as it
/// fails, so an error is never cached (unlike PostgresNIO's prepared statement state machine,
/// which keeps the error for the connection's lifetime).
///
/// Plans of the fixed kinds (``PlanKind/fixedSlot``) sit in an array at their record type's
/// slot (``RecordSchema/planSlots``), so the hot path finds them without hashing; query
/// plans sit in a dictionary by ``PlanKey``.
public final class StatementCache<Statement: DriverStatement> {
    @usableFromInline
    struct PlanEntry {
        @usableFromInline let plan: Plan
        @usableFromInline let statement: Statement?

        @usableFromInline
        init(plan: Plan, statement: Statement?) {
            self.plan = plan
            self.statement = statement
        }
    }

    @usableFromInline var plans: [PlanKey: PlanEntry] = [:]
    @usableFromInline var slots: ContiguousArray<PlanEntry?> = []
    private var bySQL: [String: Statement] = [:]

    public init() {}

    /// The cached statement for this SQL, preparing it on first use.
    public func statement(sql: String, prepare: (String) throws -> Statement) throws -> Statement {
        if let statement = bySQL[sql] { return statement }
        let statement = try prepare(sql)
        bySQL[sql] = statement
        return statement
    }

    /// Forgets the statement for this SQL (after it failed).
    public func evict(sql: String) {
        bySQL[sql] = nil
    }

    /// The entry at a fixed slot, if any.
    @inlinable
    func entry(atSlot slot: Int) -> PlanEntry? {
        slot < slots.count ? slots[slot] : nil
    }

    func store(_ entry: PlanEntry, for key: PlanKey, slot: Int?) {
        guard let slot else {
            plans[key] = entry
            return
        }
        if slot >= slots.count { slots.append(contentsOf: repeatElement(nil, count: slot + 1 - slots.count)) }
        slots[slot] = entry
    }

    /// Forgets a plan's statement (after it failed), at its fixed slot if it has one.
    func evict(_ key: PlanKey, slot: Int?) {
        if let slot {
            if slot < slots.count { slots[slot] = nil }
        } else {
            plans[key] = nil
        }
    }

    /// Forgets every statement (before the connection closes).
    public func removeAll() {
        plans.removeAll()
        slots.removeAll()
        bySQL.removeAll()
    }
}
