import Foundation

extension Migration {
    /// A Swift migration whose operations are recorded by two closures.
    ///
    /// ```swift
    /// Migration("1975ea83b712", "create users") { up in
    ///     up.createTable("users") {
    ///         TableColumn("id", .integer, primaryKey: true)
    ///         TableColumn("name", .text, nullable: false, default: "")
    ///     }
    /// } downgrade: { down in
    ///     down.dropTable("users")
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - id: The revision id (12 random hex digits by convention).
    ///   - parents: The revisions this one follows; several for a merge, none for a root.
    ///   - transactional: Pass false for statements that cannot run in a transaction
    ///     (`CREATE INDEX CONCURRENTLY`).
    ///   - acknowledging: Lint rules the author has reviewed for this migration; their
    ///     findings are reported as acknowledged and do not fail the lint.
    public init(
        _ id: String, _ message: String, parents: [String] = [], branchLabels: Set<String> = [],
        dependsOn: [String] = [], created: Date? = nil, transactional: Bool = true, acknowledging: Set<LintRule> = [],
        upgrade: (inout MigrationBuilder) -> Void, downgrade: (inout MigrationBuilder) -> Void
    ) {
        var up = MigrationBuilder()
        upgrade(&up)
        var down = MigrationBuilder()
        downgrade(&down)
        self.init(
            revision: Revision(id: id, message: message, parents: parents, branchLabels: branchLabels, dependsOn: dependsOn,
                               createdAt: created),
            upgrade: up.operations, downgrade: down.operations, transactional: transactional,
            acknowledging: acknowledging)
        upgradeBackfills = up.backfills
        downgradeBackfills = down.backfills
    }

    /// A repeatable migration: a view, function or trigger definition that is re-applied,
    /// after the versioned migrations, whenever its checksum changes (as Flyway's `R__`
    /// migrations). Repeatable migrations run in the order of their names, each in a
    /// transaction of its own with its checksum; they are never reverted, so write them to
    /// replace what they define (`CREATE OR REPLACE VIEW`, `DROP TRIGGER IF EXISTS` then
    /// `CREATE TRIGGER`).
    ///
    /// ```swift
    /// Migration(repeatable: "active_users_view", "users active in the last 30 days") { up in
    ///     up.script("CREATE OR REPLACE VIEW active_users AS SELECT * FROM users WHERE seen_at > now() - interval '30 days'")
    /// }
    /// ```
    ///
    /// - Parameter name: Unique among repeatable migrations and revision ids, with the
    ///   characters of a revision id.
    public init(
        repeatable name: String, _ message: String = "", transactional: Bool = true, acknowledging: Set<LintRule> = [],
        upgrade: (inout MigrationBuilder) -> Void
    ) {
        var up = MigrationBuilder()
        upgrade(&up)
        self.init(revision: Revision(id: name, message: message), upgrade: up.operations, downgrade: [],
                  transactional: transactional, acknowledging: acknowledging, repeatable: true)
    }
}
