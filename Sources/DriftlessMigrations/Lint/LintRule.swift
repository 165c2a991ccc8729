/// A migration pattern that breaks code still running during a rolling deploy, or takes a
/// lock that stops the application while it runs.
///
/// The raw values are what a migration writes to acknowledge a finding
/// (`acknowledging: [.dropColumn]` in Swift, `-- acknowledge: drop-column` in a SQL file).
/// A struct of static rules rather than an enum, so that a later release can add rules
/// without breaking a `switch` of yours. Every rule is listed here, whichever dialect checks
/// it, so that a SQL file can acknowledge any of them before any backend is linked; each has
/// a ``summary``, a ``hazard`` and a ``safeAlternative`` (`driftless migrate lint
/// --list-rules` prints them, with the databases that check each).
public struct LintRule: Sendable, Hashable, Codable, RawRepresentable, CaseIterable, CustomStringConvertible {
    public let rawValue: String

    private init(_ rawValue: String) { self.rawValue = rawValue }

    /// The rule with this name, if there is one.
    public init?(rawValue: String) {
        guard let rule = Self.allCases.first(where: { $0.rawValue == rawValue }) else { return nil }
        self = rule
    }

    public var description: String { rawValue }

    // MARK: Breaking code still running

    public static let dropColumn = LintRule("drop-column")
    public static let renameColumn = LintRule("rename-column")
    public static let dropTable = LintRule("drop-table")
    public static let renameTable = LintRule("rename-table")
    public static let changeColumnType = LintRule("change-column-type")
    public static let addNotNullColumnWithoutDefault = LintRule("add-not-null-without-default")
    /// `DROP ... CASCADE`, `ALTER ... DROP ... CASCADE`: it also removes whatever depends on
    /// the object, which the lint cannot list.
    public static let dropCascade = LintRule("drop-cascade")
    /// `TRUNCATE ... CASCADE`: it also empties every table that references the truncated ones.
    public static let truncateCascade = LintRule("truncate-cascade")
    /// `DROP SCHEMA`: every object in it goes (PostgreSQL).
    public static let dropSchema = LintRule("drop-schema")
    /// `DROP TYPE` / `DROP DOMAIN`: columns of the type fail, or go with CASCADE (PostgreSQL).
    public static let dropType = LintRule("drop-type")
    /// `DROP DATABASE` in a migration (PostgreSQL).
    public static let dropDatabase = LintRule("drop-database")
    /// `BEGIN`, `COMMIT`, `ROLLBACK` inside a migration the runner wraps in a transaction.
    public static let transactionControl = LintRule("transaction-control")
    /// A statement or custom operation whose effect the lint cannot read (a `DO` block,
    /// `EXECUTE`, a procedure call, Swift code): it cannot vouch for it.
    public static let unverifiableStatement = LintRule("unverifiable-statement")

    // MARK: Locks that stop the application

    /// An index built without `CONCURRENTLY` on an existing PostgreSQL table.
    public static let nonConcurrentIndex = LintRule("non-concurrent-index")
    /// `DROP INDEX` without `CONCURRENTLY` (PostgreSQL).
    public static let nonConcurrentDropIndex = LintRule("non-concurrent-drop-index")
    /// `REINDEX` without `CONCURRENTLY` (PostgreSQL 12+).
    public static let nonConcurrentReindex = LintRule("non-concurrent-reindex")
    /// `CREATE/DROP INDEX CONCURRENTLY` in a transactional migration: PostgreSQL refuses it
    /// inside a transaction block, so the migration fails when it runs.
    public static let concurrentIndexInTransaction = LintRule("concurrent-index-in-transaction")
    /// A UNIQUE or PRIMARY KEY constraint added by building its index under the table's lock.
    public static let addUniqueConstraint = LintRule("add-unique-constraint")
    /// A FOREIGN KEY added without `NOT VALID`: it scans the table under a lock on both tables.
    public static let addForeignKey = LintRule("add-foreign-key")
    /// A CHECK constraint added without `NOT VALID`: it scans the table under its lock.
    public static let addCheckConstraint = LintRule("add-check-constraint")
    /// `SET NOT NULL` on an existing column: a full scan under ACCESS EXCLUSIVE.
    public static let setNotNull = LintRule("set-not-null")
    /// A column added with a volatile default (`random()`, `clock_timestamp()`,
    /// `gen_random_uuid()`, a `serial`): PostgreSQL rewrites the table.
    public static let volatileDefault = LintRule("volatile-default")
    /// A backfill `UPDATE` (or `DELETE`) of an existing table without a batch bound, inside
    /// the migration's transaction.
    public static let unboundedBackfill = LintRule("unbounded-backfill")
    /// A schema change that waits for a lock before any `lock_timeout` is set.
    public static let missingLockTimeout = LintRule("missing-lock-timeout")
    /// A schema change on an existing table before any `statement_timeout` is set.
    public static let missingStatementTimeout = LintRule("missing-statement-timeout")
    /// A SQLite operation that rebuilds an existing table (copying every row under the write lock).
    public static let sqliteTableRebuild = LintRule("sqlite-table-rebuild")

    // MARK: Types and names to prefer

    /// `json` rather than `jsonb` (PostgreSQL).
    public static let preferJSONB = LintRule("prefer-jsonb")
    /// `serial` / `bigserial` rather than an identity column (PostgreSQL).
    public static let preferIdentity = LintRule("prefer-identity")
    /// An `int` / `integer` / `smallint` primary key rather than `bigint` (PostgreSQL).
    public static let preferBigintPrimaryKey = LintRule("prefer-bigint-primary-key")
    /// `timestamp` without time zone rather than `timestamptz` (PostgreSQL).
    public static let preferTimestamptz = LintRule("prefer-timestamptz")
    /// `char(n)` / `varchar(n)` rather than `text` (PostgreSQL).
    public static let preferText = LintRule("prefer-text")
    /// A name longer than the 63 bytes PostgreSQL keeps: it cuts the rest silently.
    public static let identifierTooLong = LintRule("identifier-too-long")

    /// The rules the engine checks on every database (``RollingDeployCheck``).
    public static let sharedRules: Set<LintRule> = [
        .dropColumn, .renameColumn, .dropTable, .renameTable, .changeColumnType, .addNotNullColumnWithoutDefault,
        .dropCascade, .truncateCascade, .transactionControl, .unboundedBackfill, .unverifiableStatement,
    ]

    public static let allCases: [LintRule] = [
        .dropColumn, .renameColumn, .dropTable, .renameTable, .changeColumnType, .addNotNullColumnWithoutDefault,
        .dropCascade, .truncateCascade, .dropSchema, .dropType, .dropDatabase, .transactionControl, .unverifiableStatement,
        .nonConcurrentIndex, .nonConcurrentDropIndex, .nonConcurrentReindex, .concurrentIndexInTransaction,
        .addUniqueConstraint, .addForeignKey, .addCheckConstraint, .setNotNull, .volatileDefault, .unboundedBackfill,
        .missingLockTimeout, .missingStatementTimeout, .sqliteTableRebuild,
        .preferJSONB, .preferIdentity, .preferBigintPrimaryKey, .preferTimestamptz, .preferText, .identifierTooLong,
    ]
}
