/// A migration pattern that breaks code still running during a rolling deploy.
///
/// The raw values are what a migration writes to acknowledge a finding
/// (`acknowledging: [.dropColumn]` in Swift, `-- acknowledge: drop-column` in a SQL file).
public enum LintRule: String, Sendable, Hashable, CaseIterable, Codable {
    case dropColumn = "drop-column"
    case renameColumn = "rename-column"
    case dropTable = "drop-table"
    case renameTable = "rename-table"
    case changeColumnType = "change-column-type"
    case addNotNullColumnWithoutDefault = "add-not-null-without-default"
    case nonConcurrentIndex = "non-concurrent-index"
    case missingLockTimeout = "missing-lock-timeout"
    /// `CREATE/DROP INDEX CONCURRENTLY` in a transactional migration: PostgreSQL refuses it
    /// inside a transaction block, so the migration fails when it runs.
    case concurrentIndexInTransaction = "concurrent-index-in-transaction"
}
