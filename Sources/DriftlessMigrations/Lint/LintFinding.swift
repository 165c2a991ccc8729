/// One problem the lint found in a migration: which rule, where, why it breaks a rolling
/// deploy, and what to do instead.
public struct LintFinding: Sendable, Hashable, CustomStringConvertible {
    public var rule: LintRule
    /// The id of the migration's revision.
    public var revision: String
    /// What the migration does and why that breaks code still running during the rollout.
    public var message: String
    /// The safe way to get the same result (expand/contract, `CONCURRENTLY`, ...).
    public var safeAlternative: String
    /// Whether the migration acknowledges this rule (`acknowledging:` in Swift,
    /// `-- acknowledge: <rule>` in a SQL file). Acknowledged findings are reported, not failed.
    public var isAcknowledged: Bool

    public init(rule: LintRule, revision: String, message: String, safeAlternative: String, isAcknowledged: Bool) {
        self.rule = rule
        self.revision = revision
        self.message = message
        self.safeAlternative = safeAlternative
        self.isAcknowledged = isAcknowledged
    }

    /// `ae1027a6acf4 [drop-column] drops users.email, ... Instead: ...`, with
    /// `(acknowledged)` when it is.
    public var description: String {
        "\(revision) [\(rule.rawValue)]\(isAcknowledged ? " (acknowledged)" : "") \(message) Instead: \(safeAlternative)"
    }
}

extension Array where Element == LintFinding {
    /// The findings that fail the lint: those not acknowledged.
    public var failing: [LintFinding] { filter { !$0.isAcknowledged } }
}
