/// The prepared statements of one connection: one per plan, and one per raw SQL text.
///
/// A statement is cached only after it prepared successfully and is evicted as soon as it
/// fails, so an error is never cached (unlike PostgresNIO's prepared statement state machine,
/// which keeps the error for the connection's lifetime).
public final class StatementCache<Statement: DriverStatement> {
    struct PlanEntry {
        let plan: Plan
        let statement: Statement?
    }

    var plans: [PlanKey: PlanEntry] = [:]
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

    func evict(_ key: PlanKey) {
        plans[key] = nil
    }

    /// Forgets every statement (before the connection closes).
    public func removeAll() {
        plans.removeAll()
        bySQL.removeAll()
    }
}
