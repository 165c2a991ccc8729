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

extension RevisionGraph {
    /// The revisions of a `START:END` range (Alembic's `history -r`), newest first, marked
    /// against the version-table rows `current`: the revisions that are `END` or precede it
    /// and are `START` or follow it, both ends included.
    ///
    /// - An empty `START` is `base`, an empty `END` is `heads`; `current` on either side is
    ///   the database's revisions (base when nothing is applied).
    /// - `START` may be `-N`: N revisions below `END`; `END` may be `+N`: N revisions above
    ///   `START`. Every other target form of ``resolve(_:current:)`` works on either side.
    ///
    /// - Throws: ``MigrationError/Code/invalidTarget`` for a range without `:` or a relative
    ///   end that cannot be walked; the errors of ``resolve(_:current:)``.
    public func history(current: Set<String>, range: String) throws -> [HistoryEntry] {
        guard let colon = range.firstIndex(of: ":") else {
            throw MigrationError.invalidTarget(range, reason: "a history range is START:END, START: or :END")
        }
        let startText = range[..<colon].trimmingCharacters(in: .whitespaces)
        let endText = range[range.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        func revisions(_ target: RevisionTarget) -> Set<String>? {
            switch target {
            case .base: nil
            case .revisions(let ids): ids
            case .below(let roots):
                Set(roots.flatMap { migration($0).map { $0.revision.parents } ?? [] })
            }
        }
        func resolveSide(_ text: String, default defaultTarget: RevisionTarget) throws -> RevisionTarget {
            if text.isEmpty { return defaultTarget }
            if text == "current" { return current.isEmpty ? .base : .revisions(current) }
            return try resolve(text, current: current)
        }
        func anchored(_ text: String, to anchor: Set<String>?) throws -> RevisionTarget {
            guard let anchor else { return try resolve(text, current: []) }  // relative to base
            guard anchor.count == 1, let id = anchor.first else {
                throw MigrationError.invalidTarget(
                    range, reason: "\(text) is relative to the other end, which is several revisions (\(sorted(anchor).listedForMessage()))")
            }
            return try resolve(id + text, current: current)
        }
        let endIsRelative = endText.first == "+" && endText.dropFirst().allSatisfy(\.isNumber) && endText.count > 1
        let startIsRelative = startText.first == "-" && startText.dropFirst().allSatisfy(\.isNumber) && startText.count > 1
        let start: RevisionTarget
        let end: RevisionTarget
        if endIsRelative {
            start = try resolveSide(startText, default: .base)
            end = try anchored(endText, to: revisions(start))
        } else {
            end = try resolveSide(endText, default: .revisions(Set(heads)))
            start = startIsRelative ? try anchored(startText, to: revisions(end)) : try resolveSide(startText, default: .base)
        }
        let upper = revisions(end).map { ancestors(of: $0) } ?? []
        let lower: Set<String>? = switch start {
        case .base: nil
        case .revisions(let ids): descendants(of: ids)
        case .below(let roots): descendants(of: roots)
        }
        let included = lower.map { upper.intersection($0) } ?? upper
        return history(current: current).filter { included.contains($0.revision.id) }
    }
}
