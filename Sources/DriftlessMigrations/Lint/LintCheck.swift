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
