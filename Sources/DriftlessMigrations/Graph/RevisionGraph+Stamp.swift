extension RevisionGraph {
    /// The version rows after stamping `targets` over `rows` (see ``Migrator/stamp(_:purge:)``).
    ///
    /// As in Alembic, each target replaces the rows on its own line of history: every row
    /// that is an ancestor or a descendant of the target (dependencies included) gives way to
    /// the target, and rows on other branches stay. So stamping one parent of a merge the
    /// database is at leaves that parent alone recorded (the merge's other parent is not
    /// re-recorded: it shares the merge's line). `base` empties the table; `label@base`
    /// removes the branch's rows and records what precedes the branch.
    public func stampedRows(_ rows: Set<String>, targets: [String]) throws -> Set<String> {
        var rows = rows
        for text in targets {
            switch try resolve(text, current: rows) {
            case .base:
                rows = []
            case .revisions(let ids):
                // One pass for all of them (50,000 heads stay linear): the rows on their
                // lines give way to the targets' tips (a target below another is covered).
                let lineage = ancestors(of: ids).union(descendants(of: ids))
                rows = rows.filter { !lineage.contains($0) }.union(versionRows(forApplied: ancestors(of: ids)))
            case .below(let roots):
                var applied = ancestors(of: rows)
                applied.subtract(descendants(of: roots))
                rows = versionRows(forApplied: applied)
            }
        }
        return rows
    }
}
