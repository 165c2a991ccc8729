/// A migration pattern that breaks code still running during a rolling deploy.
///
/// The raw values are what a migration writes to acknowledge a finding
/// (`acknowledging: [.dropColumn]` in Swift, `-- acknowledge: drop-column` in a SQL file).
/// A struct of static rules rather than an enum, so that a later release can add rules
/// without breaking a `switch` of yours. Every rule is listed here, whichever dialect checks
/// it, so that a SQL file can acknowledge any of them before any backend is linked.
public struct LintRule: Sendable, Hashable, Codable, RawRepresentable, CaseIterable, CustomStringConvertible {
    public let rawValue: String

    private init(_ rawValue: String) { self.rawValue = rawValue }

    /// The rule with this name, if there is one.
    public init?(rawValue: String) {
        guard let rule = Self.allCases.first(where: { $0.rawValue == rawValue }) else { return nil }
        self = rule
    }

    public var description: String { rawValue }

    public static let dropColumn = LintRule("drop-column")
    public static let renameColumn = LintRule("rename-column")
    public static let dropTable = LintRule("drop-table")
    public static let renameTable = LintRule("rename-table")
    public static let changeColumnType = LintRule("change-column-type")
    public static let addNotNullColumnWithoutDefault = LintRule("add-not-null-without-default")
    /// `DROP ... CASCADE`, `ALTER ... DROP ... CASCADE`, `TRUNCATE ... CASCADE`: it also
    /// removes whatever depends on the object, which the lint cannot list.
    public static let dropCascade = LintRule("drop-cascade")
    /// A statement or custom operation whose effect the lint cannot read (a `DO` block,
    /// `EXECUTE`, a procedure call, Swift code): it cannot vouch for it.
    public static let unverifiableStatement = LintRule("unverifiable-statement")
    /// An index built without `CONCURRENTLY` on an existing PostgreSQL table.
    public static let nonConcurrentIndex = LintRule("non-concurrent-index")
    /// A schema change that waits for a lock before any `lock_timeout` is set.
    public static let missingLockTimeout = LintRule("missing-lock-timeout")
    /// `CREATE/DROP INDEX CONCURRENTLY` in a transactional migration: PostgreSQL refuses it
    /// inside a transaction block, so the migration fails when it runs.
    public static let concurrentIndexInTransaction = LintRule("concurrent-index-in-transaction")

    public static let allCases: [LintRule] = [
        .dropColumn, .renameColumn, .dropTable, .renameTable, .changeColumnType, .addNotNullColumnWithoutDefault,
        .dropCascade, .unverifiableStatement, .nonConcurrentIndex, .missingLockTimeout, .concurrentIndexInTransaction,
    ]
}
