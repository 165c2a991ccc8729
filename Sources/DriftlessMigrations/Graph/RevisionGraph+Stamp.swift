extension RevisionGraph {
    /// The version rows after stamping `targets` over `rows` (see ``Migrator/stamp(_:purge:)``).
    public func stampedRows(_ rows: Set<String>, targets: [String]) throws -> Set<String> {
        var applied = ancestors(of: rows)
        for text in targets {
            switch try resolve(text, current: rows) {
            case .base:
                applied = []
            case .revisions(let ids):
                applied.subtract(descendants(of: ids).subtracting(ids))
                applied.formUnion(ancestors(of: ids))
            case .below(let roots):
                applied.subtract(descendants(of: roots))
            }
        }
        return versionRows(forApplied: applied)
    }
}
