/// One migration to apply or revert, and what the version table holds before and after it.
public struct MigrationStep: Sendable {
    /// The migration the step runs.
    public var migration: Migration
    /// Whether its upgrade or its downgrade runs.
    public var direction: MigrationDirection
    /// The version-table rows before the step, in graph order.
    public var versionsBefore: [String]
    /// The version-table rows after the step, in graph order: applying a revision replaces
    /// its parents' rows (several for a merge); reverting it brings them back.
    public var versionsAfter: [String]

    public init(migration: Migration, direction: MigrationDirection, versionsBefore: [String], versionsAfter: [String]) {
        self.migration = migration
        self.direction = direction
        self.versionsBefore = versionsBefore
        self.versionsAfter = versionsAfter
    }

    public var revision: Revision { migration.revision }

    /// The operations the step runs.
    public var operations: [SchemaOperation] {
        direction == .upgrade ? migration.upgrade : migration.downgrade
    }

    /// `upgrade 1975ea83b712 -> ae1027a6acf4, add account`, as Alembic says it (`<base>` for none).
    public var summary: String {
        let from = versionsBefore.isEmpty ? "<base>" : versionsBefore.joined(separator: ", ")
        let to = versionsAfter.isEmpty ? "<base>" : versionsAfter.joined(separator: ", ")
        return "\(direction) \(from) -> \(to), \(revision.message)"
    }
}
