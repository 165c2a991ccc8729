import Synchronization

/// Compiled plans shared by every connection of a database, each valid for one generation
/// of the schema map.
final class PlanCache: Sendable {
    private let plans = Mutex<[PlanKey: Plan]>([:])

    /// The plan for `key` at `generation`, compiling it with `compile` when there is none yet.
    func plan(for key: PlanKey, generation: Int, compile: () throws -> Plan) throws -> Plan {
        if let plan = plans.withLock({ $0[key] }), plan.generation == generation { return plan }
        let plan = try compile()
        plans.withLock { $0[key] = plan }
        return plan
    }

    /// The current modes of all compiled plans of a record type.
    func modes(of record: ObjectIdentifier) -> [PlanMode] {
        plans.withLock { plans in plans.values.filter { $0.key.record == record }.map(\.mode) }
    }
}
