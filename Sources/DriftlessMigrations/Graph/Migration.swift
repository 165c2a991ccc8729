import Driftless

/// A revision and the operations that apply and revert it.
public struct Migration: Sendable {
    /// Its place in the graph: id, message, parents, labels, dependencies.
    public var revision: Revision
    /// What `upgrade` runs, in order.
    public var upgrade: [SchemaOperation]
    /// What `downgrade` runs to undo it, in order (empty: nothing to undo).
    public var downgrade: [SchemaOperation]
    /// Whether the migration runs inside one transaction (the default). Turn off for
    /// statements that cannot, such as `CREATE INDEX CONCURRENTLY`.
    public var isTransactional: Bool
    /// Lint findings the author has reviewed and accepts for this migration.
    public var acknowledged: Set<LintRule>
    /// Batched backfills run after `upgrade` commits, and after `downgrade` does.
    public var upgradeBackfills: [Backfill] = []
    public var downgradeBackfills: [Backfill] = []
    /// Where the migration came from, for messages (`Swift`, or the SQL file's path).
    public var source: String
    /// Whether this is a repeatable migration (``Migration/init(repeatable:_:transactional:acknowledging:upgrade:)``):
    /// outside the revision graph, re-applied after the versioned migrations whenever its
    /// checksum changes. Its ``revision`` has the name as id and no parents.
    public var isRepeatable: Bool
    /// For a SQL file, the line where each direction's SQL begins, so that a failing
    /// statement is reported at its line in the file.
    public var sectionLines: [MigrationDirection: Int]

    public init(
        revision: Revision, upgrade: [SchemaOperation], downgrade: [SchemaOperation],
        transactional: Bool = true, acknowledging acknowledged: Set<LintRule> = [], source: String = "Swift",
        repeatable: Bool = false, sectionLines: [MigrationDirection: Int] = [:]
    ) {
        self.revision = revision
        self.upgrade = upgrade
        self.downgrade = downgrade
        self.isTransactional = transactional
        self.acknowledged = acknowledged
        self.source = source
        self.isRepeatable = repeatable
        self.sectionLines = sectionLines
    }
}
