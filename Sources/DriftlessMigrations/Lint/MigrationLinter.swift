import Driftless

/// Flags migration operations that break code still running during a rolling deploy, and
/// says what to do instead.
///
/// ```swift
/// let linter = MigrationLinter(records: [User.self, Order.self], dialect: .postgres)
/// let findings = migrations.flatMap(linter.lint)
/// if !findings.failing.isEmpty { ... }
/// ```
///
/// The rules (``LintRule``), checked on a migration's upgrade operations, the SQL of its
/// `.execute` and `.script` operations included (so SQL-file migrations are linted too):
///
/// - dropping or renaming a table or column that a record still declares. Without records
///   the lint cannot tell, and flags every drop and rename;
/// - changing a column's type;
/// - adding a NOT NULL column (or a primary key) without a default;
/// - `CASCADE` on a drop or truncate (it removes dependents the lint cannot list);
/// - a statement or operation the lint cannot read: a `DO` block, `EXECUTE`, `CALL`, an
///   unknown statement, `.custom` Swift code. The lint cannot vouch for it, so it says so;
/// - the dialect's own rules (``MigrationDialect/makeLintChecks()``): on PostgreSQL,
///   `CREATE INDEX` without `CONCURRENTLY`, `CONCURRENTLY` in a transactional migration,
///   and a statement that locks an existing table before any `SET lock_timeout` (a
///   `.execute` or `.script` setting it, or ``MigrationBuilder/lockTimeout(_:)``).
///
/// Changes to a table the same migration creates are never flagged: no running code uses it
/// yet. Downgrades are not linted: they run to undo a release, when the code that needs the
/// schema is being rolled back too.
///
/// A rule the migration acknowledges (``Migration/acknowledged``) is still reported, with
/// ``LintFinding/isAcknowledged`` set, and does not count in ``Swift/Array/failing``.
public struct MigrationLinter: Sendable {
    let declared: [DeclaredTable]
    let hasRecords: Bool
    /// The database the migrations run on: it reads their SQL and adds rules of its own.
    public let dialect: any MigrationDialect
    let names: TableNameMatcher

    public init(records: [any Record.Type] = [], dialect: any MigrationDialect) {
        declared = records.map(DeclaredTable.init)
        hasRecords = !records.isEmpty
        self.dialect = dialect
        names = TableNameMatcher(dialect: dialect)
    }

    /// The findings for one migration, in the order of its operations: for each change, the
    /// shared rules first, then the dialect's.
    public func lint(_ migration: Migration) -> [LintFinding] {
        var context = LintContext(migration: migration, linter: self)
        var checks: [any LintCheck] = [RollingDeployCheck()] + dialect.makeLintChecks()
        for change in migration.upgrade.flatMap({ LintedChange.changes(of: $0, dialect: dialect) }) {
            for index in checks.indices { checks[index].inspect(change, in: &context) }
            context.record(change)
        }
        return context.findings
    }

    /// The findings of several migrations, in order.
    public func lint(_ migrations: [Migration]) -> [LintFinding] {
        migrations.flatMap(lint)
    }
}
