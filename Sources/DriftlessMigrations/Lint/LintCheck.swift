/// A lint rule, or a few, run over one migration's changes in order.
///
/// The engine runs the rules every database shares (``RollingDeployCheck``); a dialect adds
/// its own through ``MigrationDialect/makeLintChecks()`` (PostgreSQL: concurrent index
/// builds and ``LockTimeoutCheck``). A fresh check is made per migration, so it may keep
/// state across the migration's changes.
public protocol LintCheck {
    /// Looks at one change; reports through ``LintContext/report(_:_:)``.
    mutating func inspect(_ change: LintedChange, in context: inout LintContext)
}

/// For databases where schema changes queue behind other sessions' locks: a statement that
/// locks an existing table before any effective `lock_timeout` is a finding (once per
/// migration), since while it waits it blocks every query queued behind it.
public struct LockTimeoutCheck: LintCheck {
    private var isSet = false
    private var reported = false

    public init() {}

    public mutating func inspect(_ change: LintedChange, in context: inout LintContext) {
        if case .setLockTimeout(let isEffective) = change.kind { isSet = isEffective }
        guard context.locksExistingTable(change), !isSet, !reported else { return }
        reported = true
        context.report(.missingLockTimeout, "`\(change.summary)` locks an existing table before any SET lock_timeout.")
    }
}

/// For databases with a statement timeout: a statement that scans or rewrites an existing
/// table under its lock (a type change, SET NOT NULL, a validated constraint, a
/// non-concurrent index build or reindex, a backfill) before any effective
/// `statement_timeout` is a finding (once per migration), since nothing then bounds how long
/// it holds the lock. Instant changes (ADD COLUMN, a rename) are left to the lock timeout.
public struct StatementTimeoutCheck: LintCheck {
    private var isSet = false
    private var reported = false

    public init() {}

    public mutating func inspect(_ change: LintedChange, in context: inout LintContext) {
        if case .setStatementTimeout(let isEffective) = change.kind { isSet = isEffective }
        guard !isSet, !reported, Self.runsLong(change, in: context) else { return }
        reported = true
        context.report(.missingStatementTimeout, "`\(change.summary)` scans or rewrites an existing table before any SET statement_timeout.")
    }

    /// Whether a change holds its lock while it scans or rewrites an existing table.
    static func runsLong(_ change: LintedChange, in context: LintContext) -> Bool {
        switch change.kind {
        case .alterColumn(let table, _, let changesType): changesType && !context.isNew(table)
        case .setNotNull(let table, _): !context.isNew(table)
        case .addConstraint(let table, let constraint): !context.isNew(table) && !constraint.isNotValid && !constraint.usesExistingIndex
        case .createIndex(let table, let concurrently): !concurrently && !context.isNew(table)
        case .reindex(let concurrently): !concurrently
        case .backfill(let table, _): table.map(context.isNew) != true
        default: false
        }
    }
}
