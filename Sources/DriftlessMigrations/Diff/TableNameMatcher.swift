import Driftless

/// Matches table names the way a dialect resolves them.
struct TableNameMatcher: Sendable {
    let caseInsensitive: Bool

    init(dialect: any SQLDialect) {
        caseInsensitive = dialect.identifiersAreCaseInsensitive
    }

    func same(_ a: String, _ b: String) -> Bool {
        caseInsensitive ? a.lowercased() == b.lowercased() : a == b
    }

    /// Whether two table names can be the same table. A name without a schema resolves
    /// through the search path (PostgreSQL) or to `main` (SQLite), so it matches a name in
    /// any schema: the lint would rather warn once too often.
    func same(_ a: TableName, _ b: TableName) -> Bool {
        guard same(a.name, b.name) else { return false }
        guard let left = a.schema, let right = b.schema else { return true }
        return same(left, right)
    }
}
