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
/// - on PostgreSQL, `CREATE INDEX` without `CONCURRENTLY`, and `CONCURRENTLY` in a
///   transactional migration;
/// - on PostgreSQL, a statement that locks an existing table before any `SET lock_timeout`
///   (a `.execute` or `.script` setting it, or ``MigrationBuilder/lockTimeout(_:)``).
///
/// Changes to a table the same migration creates are never flagged: no running code uses it
/// yet. `.custom` operations are opaque to the lint. Downgrades are not linted: they run to
/// undo a release, when the code that needs the schema is being rolled back too.
///
/// A rule the migration acknowledges (``Migration/acknowledged``) is still reported, with
/// ``LintFinding/isAcknowledged`` set, and does not count in ``Swift/Array/failing``.
public struct MigrationLinter: Sendable {
    let declared: [DeclaredTable]
    let hasRecords: Bool
    /// The database the migrations run on: the index and lock-timeout rules are PostgreSQL's.
    public let dialect: SQLDialect
    let names: TableNameMatcher

    public init(records: [any Record.Type] = [], dialect: SQLDialect) {
        declared = records.map(DeclaredTable.init)
        hasRecords = !records.isEmpty
        self.dialect = dialect
        names = TableNameMatcher(dialect: dialect)
    }

    /// The findings for one migration, in the order of its operations.
    public func lint(_ migration: Migration) -> [LintFinding] {
        let isPostgres = dialect.name == "postgres"
        var findings: [LintFinding] = []
        var created: [TableName] = []
        var lockTimeoutSet = false
        var reportedLockTimeout = false

        func report(_ rule: LintRule, _ what: String) {
            let finding = LintFinding(
                rule: rule, revision: migration.revision.id, message: what + " " + rule.hazard,
                safeAlternative: rule.safeAlternative, isAcknowledged: migration.acknowledged.contains(rule))
            if !findings.contains(finding) { findings.append(finding) }
        }
        func isNew(_ table: TableName) -> Bool { created.contains { names.same($0, table) } }

        let changes = migration.upgrade.flatMap { LintedChange.changes(of: $0, dialectName: dialect.name) }
        for change in changes {
            var locksExistingTable = false
            switch change.kind {
            case .createTable(let table):
                created.append(table)
            case .dropTable(let table):
                if !isNew(table) {
                    locksExistingTable = true
                    if let use = use(of: table) { report(.dropTable, "`\(change.summary)` drops \(SchemaOperation.quoted(table)), \(use).") }
                }
            case .renameTable(let table, let newName):
                if let index = created.firstIndex(where: { names.same($0, table) }) {
                    created[index] = TableName(newName, schema: table.schema)
                } else {
                    locksExistingTable = true
                    if let use = use(of: table) { report(.renameTable, "`\(change.summary)` renames \(SchemaOperation.quoted(table)), \(use).") }
                }
            case .addColumn(let table, let column, let isRequired):
                if !isNew(table) {
                    locksExistingTable = true
                    if isRequired {
                        report(.addNotNullColumnWithoutDefault,
                               "`\(change.summary)` adds \(SchemaOperation.quoted(table, column)) as NOT NULL without a default.")
                    }
                }
            case .dropColumn(let table, let column):
                if !isNew(table) {
                    locksExistingTable = true
                    if let use = use(of: table, column: column) {
                        report(.dropColumn, "`\(change.summary)` drops \(SchemaOperation.quoted(table, column)), \(use).")
                    }
                }
            case .renameColumn(let table, let old, _):
                if !isNew(table) {
                    locksExistingTable = true
                    if let use = use(of: table, column: old) {
                        report(.renameColumn, "`\(change.summary)` renames \(SchemaOperation.quoted(table, old)), \(use).")
                    }
                }
            case .alterColumn(let table, let column, let changesType):
                if !isNew(table) {
                    locksExistingTable = true
                    if changesType {
                        report(.changeColumnType, "`\(change.summary)` changes the type of \(SchemaOperation.quoted(table, column)).")
                    }
                }
            case .createIndex(let table, let concurrently):
                if isPostgres && concurrently && migration.isTransactional {
                    report(.concurrentIndexInTransaction, "`\(change.summary)` runs CONCURRENTLY in a transactional migration.")
                }
                if !isNew(table) && !concurrently {
                    locksExistingTable = true
                    if isPostgres {
                        report(.nonConcurrentIndex, "`\(change.summary)` builds an index on \(SchemaOperation.quoted(table)) without CONCURRENTLY.")
                    }
                }
            case .dropIndex(let concurrently):
                if isPostgres && concurrently && migration.isTransactional {
                    report(.concurrentIndexInTransaction, "`\(change.summary)` runs CONCURRENTLY in a transactional migration.")
                }
                if !concurrently { locksExistingTable = true }
            case .setLockTimeout(let isEffective):
                lockTimeoutSet = isEffective
            case .otherLocking(let table):
                if table.map(isNew) != true { locksExistingTable = true }
            case .data:
                break
            }
            if isPostgres, locksExistingTable, !lockTimeoutSet, !reportedLockTimeout {
                reportedLockTimeout = true
                report(.missingLockTimeout, "`\(change.summary)` locks an existing table before any SET lock_timeout.")
            }
        }
        return findings
    }

    /// The findings of several migrations, in order.
    public func lint(_ migrations: [Migration]) -> [LintFinding] {
        migrations.flatMap(lint)
    }

    /// Why dropping or renaming this table matters: the records that declare it, or that
    /// no records were given; nil when records were given and none declares it.
    private func use(of table: TableName) -> String? {
        guard hasRecords else { return "and without records to check against, the lint cannot tell whether code still uses it" }
        let users = declared.filter { names.same($0.table, table) }.map(\.recordName)
        return users.isEmpty ? nil : "which \(users.joined(separator: ", ")) still declare\(users.count == 1 ? "s" : "")"
    }

    private func use(of table: TableName, column: String) -> String? {
        guard hasRecords else { return "and without records to check against, the lint cannot tell whether code still uses it" }
        let users = declared.filter {
            names.same($0.table, table) && $0.column(named: column, caseInsensitive: names.caseInsensitive) != nil
        }.map(\.recordName)
        return users.isEmpty ? nil : "which \(users.joined(separator: ", ")) still declare\(users.count == 1 ? "s" : "")"
    }
}
