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
        dependsOn: [String] = [], transactional: Bool = true, acknowledging: Set<LintRule> = [],
        upgrade: (inout MigrationBuilder) -> Void, downgrade: (inout MigrationBuilder) -> Void
    ) {
        var up = MigrationBuilder()
        upgrade(&up)
        var down = MigrationBuilder()
        downgrade(&down)
        self.init(
            revision: Revision(id: id, message: message, parents: parents, branchLabels: branchLabels, dependsOn: dependsOn),
            upgrade: up.operations, downgrade: down.operations, transactional: transactional,
            acknowledging: acknowledging)
        upgradeBackfills = up.backfills
        downgradeBackfills = down.backfills
    }
}
