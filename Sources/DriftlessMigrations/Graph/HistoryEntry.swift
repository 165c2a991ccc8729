/// One revision as `history` lists it: where it sits in the graph and whether the database
/// has it.
public struct HistoryEntry: Sendable {
    /// The revision's header.
    public var revision: Revision
    /// Where the migration came from (`Swift`, or the SQL file's path).
    public var source: String
    /// No revision follows it.
    public var isHead: Bool
    /// It has no parent.
    public var isBase: Bool
    /// Several revisions follow it.
    public var isBranchPoint: Bool
    /// It has several parents.
    public var isMergePoint: Bool
    /// Whether the revision is applied (it or a revision after it is in the version table).
    public var isApplied: Bool
    /// Whether the version table names it: the database is at this revision.
    public var isCurrent: Bool

    /// `current, head`, `branchpoint`, `mergepoint`...: what applies, as one label.
    public var markers: String {
        var markers: [String] = []
        if isCurrent { markers.append("current") }
        if isHead { markers.append("head") }
        if isBase { markers.append("base") }
        if isBranchPoint { markers.append("branchpoint") }
        if isMergePoint { markers.append("mergepoint") }
        return markers.joined(separator: ", ")
    }
}

extension RevisionGraph {
    /// Every revision, newest first, marked against the version-table rows `current`.
    public func history(current: Set<String>) -> [HistoryEntry] {
        let applied = ancestors(of: current.filter(contains))
        let headSet = Set(heads)
        return migrations.reversed().map { migration in
            let revision = migration.revision
            return HistoryEntry(
                revision: revision, source: migration.source,
                isHead: headSet.contains(revision.id), isBase: revision.parents.isEmpty,
                isBranchPoint: children(of: revision.id).count > 1, isMergePoint: revision.parents.count > 1,
                isApplied: applied.contains(revision.id), isCurrent: current.contains(revision.id))
        }
    }
}
