/// One migration to apply or revert, and how it changes the version table.
///
/// A step carries only the rows it changes, not the whole table before and after: with
/// thousands of branches a path of whole tables would grow with the square of its length.
public struct MigrationStep: Sendable {
    /// The migration the step runs.
    public var migration: Migration
    /// Whether its upgrade or its downgrade runs.
    public var direction: MigrationDirection
    /// The version-table rows the step deletes, in graph order: applying a revision replaces
    /// its parents' rows (several for a merge); reverting it deletes its own.
    public var removedVersions: [String]
    /// The rows the step inserts, in graph order: the revision applied, or the parents a
    /// revert brings back.
    public var addedVersions: [String]

    public init(migration: Migration, direction: MigrationDirection, removedVersions: [String], addedVersions: [String]) {
        self.migration = migration
        self.direction = direction
        self.removedVersions = removedVersions
        self.addedVersions = addedVersions
    }

    /// The version-table rows after the step, given those before it.
    public func versions(after rows: Set<String>) -> Set<String> {
        rows.subtracting(removedVersions).union(addedVersions)
    }

    public var revision: Revision { migration.revision }

    /// The operations the step runs.
    public var operations: [SchemaOperation] {
        direction == .upgrade ? migration.upgrade : migration.downgrade
    }

    /// The batched backfills the step runs after it commits.
    public var backfills: [Backfill] {
        direction == .upgrade ? migration.upgradeBackfills : migration.downgradeBackfills
    }

    /// `upgrade 1975ea83b712 -> ae1027a6acf4, add account`, as Alembic says it: the
    /// revision's parents and the revision (`<base>` for a root, `(b2, c3)` for a merge's
    /// parents), in the direction the step goes. Other branches' version rows are left out:
    /// they do not change. A repeatable migration reads `repeatable <name>, message`.
    public var summary: String {
        if migration.isRepeatable {
            return "repeatable \(revision.id)" + (revision.message.isEmpty ? "" : ", \(revision.message)")
        }
        let parents = switch revision.parents.count {
        case 0: "<base>"
        case 1: revision.parents[0]
        default: "(" + revision.parents.joined(separator: ", ") + ")"
        }
        let (from, to) = direction == .upgrade ? (parents, revision.id) : (revision.id, parents)
        return "\(direction) \(from) -> \(to)" + (revision.message.isEmpty ? "" : ", \(revision.message)")
    }
}
