import Foundation

extension RevisionGraph {
    /// Resolves a target as the CLI and the library accept it.
    ///
    /// - `head`: the single head (an error naming the heads when there are several);
    ///   `heads`: every head; `base`: before every revision.
    /// - A full revision id, a unique prefix of one (an ambiguous prefix is an error naming
    ///   the candidates), or a branch label alone (its head).
    /// - `label@head`, `label@base`: the head of a branch, or just below its first revision.
    /// - `+N`, `-N`: N revisions above or below the current revision (which must be a single
    ///   one); `label@+N`, `label@-N`: the same from the branch's current revision;
    ///   `REV+N`, `REV-N`: from a revision. A step that meets a branch point or a merge is an
    ///   error naming the choices.
    ///
    /// - Parameter current: The version-table rows, used by relative targets only.
    public func resolve(_ target: String, current: Set<String>) throws -> RevisionTarget {
        let text = target.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { throw MigrationError.invalidTarget(target, reason: "it is empty") }
        switch text {
        case "base": return .base
        case "heads": return .revisions(Set(heads))
        case "head": return try .revisions([singleHead(of: heads, target: text)])
        default: break
        }
        if let at = text.firstIndex(of: "@") {
            let label = String(text[..<at])
            let rest = String(text[text.index(after: at)...])
            let members = try members(ofBranch: label)
            switch rest {
            case "head":
                return .revisions([try singleHead(of: heads.filter(members.contains), target: text)])
            case "base":
                return .below(Set(members.filter { id in
                    !(migration(id)?.revision.parents.contains(where: members.contains) ?? false)
                }))
            default:
                guard let (sign, count) = Self.relativeStep(rest) else {
                    throw MigrationError.invalidTarget(target, reason: "expected \(label)@head, \(label)@base, \(label)@+N or \(label)@-N")
                }
                return try branchStep(label: label, members: members, current: current, sign: sign, count: count, target: text)
            }
        }
        if let (sign, count) = Self.relativeStep(text) {
            return try step(from: current, sign: sign, count: count, target: text, scope: "the database")
        }
        if let split = text.lastIndex(where: { $0 == "+" || $0 == "-" }), split != text.startIndex,
           let (sign, count) = Self.relativeStep(String(text[split...])) {
            let anchor = try revision(matching: String(text[..<split]))
            return try walk(from: anchor, sign: sign, count: count, target: text)
        }
        if branchLabels[text] != nil, !contains(text) {
            return try resolve(text + "@head", current: current)
        }
        return .revisions([try revision(matching: text)])
    }

    /// The revision with this id, or the only one whose id starts with it.
    public func revision(matching reference: String) throws -> String {
        if contains(reference) { return reference }
        if branchLabels[reference] != nil {
            return try singleHead(of: heads.filter(try members(ofBranch: reference).contains), target: reference + "@head")
        }
        let candidates = migrations.map(\.revision.id).filter { $0.hasPrefix(reference) }
        switch candidates.count {
        case 0: throw MigrationError.unknownRevision(reference)
        case 1: return candidates[0]
        default: throw MigrationError.ambiguousRevision(reference, candidates: candidates.sorted())
        }
    }

    private func singleHead(of heads: [String], target: String) throws -> String {
        switch heads.count {
        case 1: return heads[0]
        case 0: throw MigrationError.invalidTarget(target, reason: "there are no revisions")
        default: throw MigrationError.multipleHeads(target: target, heads: heads)
        }
    }

    /// `+3` → (+1, 3); nil if the text is not a relative step.
    private static func relativeStep(_ text: String) -> (sign: Int, count: Int)? {
        guard let first = text.first, first == "+" || first == "-",
              let count = Int(text.dropFirst()), count >= 0, text.count > 1,
              text.dropFirst().allSatisfy(\.isNumber)
        else { return nil }
        return (first == "+" ? 1 : -1, count)
    }

    /// A relative step from the current rows (of the database or of one branch).
    private func step(from current: Set<String>, sign: Int, count: Int, target: String, scope: String) throws -> RevisionTarget {
        let unknown = current.filter { !contains($0) }
        if !unknown.isEmpty { throw MigrationError.unknownRevisionsInDatabase(sorted(unknown)) }
        switch current.count {
        case 0:
            guard sign > 0 else {
                throw MigrationError.invalidTarget(target, reason: "nothing is applied in \(scope), so there is nothing below it")
            }
            return try walk(from: nil, sign: sign, count: count, target: target)
        case 1:
            return try walk(from: current.first!, sign: sign, count: count, target: target)
        default:
            throw MigrationError.invalidTarget(
                target, reason: "\(scope) is at several revisions (\(sorted(current).listedForMessage())); "
                    + "use REV\(sign > 0 ? "+" : "-")\(count) or label@\(sign > 0 ? "+" : "-")\(count)")
        }
    }

    /// `label@+N`, `label@-N`: N revisions along one branch, as Alembic walks them.
    ///
    /// Up, the walk starts at the branch's applied tip, or, when none of the branch is applied
    /// yet, at the applied revision it grows from (the shared ancestor, or base), and at a
    /// branch point it takes the child on the branch's line: from the branch point,
    /// `feat@+1` is the branch's first revision. Down, it starts at the branch's applied tip
    /// and reverts only the branch's revisions: the target is then "below" the last revision
    /// it steps over, so that other branches grown from the same ancestor stay applied.
    private func branchStep(
        label: String, members: Set<String>, current: Set<String>, sign: Int, count: Int, target: String
    ) throws -> RevisionTarget {
        let unknown = current.filter { !contains($0) }
        if !unknown.isEmpty { throw MigrationError.unknownRevisionsInDatabase(sorted(unknown)) }
        let applied = ancestors(of: current)
        let scope = "branch \(label)"
        if sign > 0 {
            let lineage = ancestors(of: members)
            let tips = versionRows(forApplied: applied.intersection(lineage))
            guard tips.count <= 1 else {
                throw MigrationError.invalidTarget(
                    target, reason: "\(scope) is at several revisions (\(sorted(tips).listedForMessage())); name the revision to go to")
            }
            return try walk(from: tips.first, sign: sign, count: count, target: target, within: lineage)
        }
        let tips = versionRows(forApplied: applied.intersection(members))
        switch tips.count {
        case 0:
            throw MigrationError.invalidTarget(target, reason: "nothing is applied in \(scope), so there is nothing below it")
        case 1:
            return try walk(from: tips.first, sign: sign, count: count, target: target, within: members)
        default:
            throw MigrationError.invalidTarget(
                target, reason: "\(scope) is at several revisions (\(sorted(tips).listedForMessage())); name the revision to go back to")
        }
    }

    /// Walks `count` revisions up (children) or down (parents) from a revision, or from base
    /// when `start` is nil.
    ///
    /// - Parameter branch: For a branch's relative target: up, only children (and bases) on
    ///   this line are followed; down, leaving it ends the walk `.below` the last revision
    ///   of the branch stepped over.
    private func walk(from start: String?, sign: Int, count: Int, target: String, within branch: Set<String>? = nil) throws -> RevisionTarget {
        var current = start
        for taken in 0..<count {
            if sign > 0 {
                var next = current.map { children(of: $0) } ?? bases
                if let branch { next = next.filter(branch.contains) }
                guard next.count == 1 else {
                    let from = current ?? "base"
                    throw MigrationError.invalidTarget(target, reason: next.isEmpty
                        ? "only \(taken) revision(s) above \(from)"
                        : "\(from) is followed by several revisions (\(next.listedForMessage())); name one of them")
                }
                current = next[0]
            } else {
                guard let id = current, let revision = migration(id)?.revision else {
                    throw MigrationError.invalidTarget(target, reason: "only \(taken - 1) revision(s) below \(start ?? "base")")
                }
                if revision.parents.isEmpty {
                    guard taken == count - 1 else {
                        throw MigrationError.invalidTarget(
                            target, reason: "\(start ?? "base") is only \(taken + 1) step(s) above base")
                    }
                    return .below([id])
                }
                guard revision.parents.count == 1 else {
                    throw MigrationError.invalidTarget(
                        target, reason: "\(id) is a merge of \(revision.parents.joined(separator: ", ")); name the revision to go back to")
                }
                if let branch, !branch.contains(revision.parents[0]) {
                    guard taken == count - 1 else {
                        throw MigrationError.invalidTarget(
                            target, reason: "\(start ?? "base") is only \(taken + 1) step(s) above where the branch begins")
                    }
                    return .below([id])
                }
                current = revision.parents[0]
            }
        }
        guard let current else { return .base }
        return .revisions([current])
    }
}
