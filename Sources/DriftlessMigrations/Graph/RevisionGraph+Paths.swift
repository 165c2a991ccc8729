extension RevisionGraph {
    /// The migrations that take a database whose version table holds `current` to `target`,
    /// in the order to apply them: the target's ancestors (with their dependencies) that are
    /// not applied yet, parents and dependencies first.
    ///
    /// A target already applied gives no steps. `current` must name known revisions only.
    public func upgradePath(from current: Set<String>, to target: RevisionTarget) -> [MigrationStep] {
        let applied = ancestors(of: current)
        let required: Set<String> = switch target {
        case .base: []
        case .revisions(let ids): ancestors(of: ids)
        case .below(let roots):
            ancestors(of: roots.flatMap { id in migration(id).map { $0.revision.parents + $0.revision.dependsOn } ?? [] })
        }
        let needed = required.subtracting(applied)
        var rows = VersionRows(current, normalized: versionRows(forApplied: applied))
        var steps: [MigrationStep] = []
        for migration in migrations where needed.contains(migration.revision.id) {
            // The parents' rows give way to the revision's (a parent with another applied
            // child has no row of its own).
            let revision = migration.revision
            let (removed, added) = rows.change(dropping: Set(revision.parents), adding: [revision.id])
            steps.append(MigrationStep(migration: migration, direction: .upgrade,
                                       removedVersions: sorted(removed), addedVersions: sorted(added)))
        }
        return steps
    }

    /// The migrations to revert to take a database whose version table holds `current` back
    /// to `target`, in the order to revert them (children and dependents first).
    ///
    /// As in Alembic, downgrading to a revision reverts what was applied after it (its
    /// descendants, and whatever depends on them) and leaves other branches alone; `base`
    /// reverts everything.
    ///
    /// - Throws: ``MigrationError/Code/notApplied`` when the target is not applied and nothing
    ///   above it is either.
    public func downgradePath(from current: Set<String>, to target: RevisionTarget, named name: String) throws -> [MigrationStep] {
        let applied = ancestors(of: current)
        let revert = try reverted(by: target, applied: applied, named: name)
        // How many applied children each applied revision has: when a revert leaves a
        // parent with none, the parent's row comes back.
        var appliedChildren: [String: Int] = [:]
        for id in applied {
            for parent in Set(migration(id)?.revision.parents ?? []) { appliedChildren[parent, default: 0] += 1 }
        }
        var rows = VersionRows(current, normalized: versionRows(forApplied: applied))
        var steps: [MigrationStep] = []
        for migration in migrations.reversed() where revert.contains(migration.revision.id) {
            var uncovered: Set<String> = []
            for parent in Set(migration.revision.parents) {
                appliedChildren[parent, default: 1] -= 1
                if appliedChildren[parent] == 0 { uncovered.insert(parent) }
            }
            let (removed, added) = rows.change(dropping: [migration.revision.id], adding: uncovered)
            steps.append(MigrationStep(migration: migration, direction: .downgrade,
                                       removedVersions: sorted(removed), addedVersions: sorted(added)))
        }
        return steps
    }

    /// The applied revisions a downgrade to `target` reverts.
    private func reverted(by target: RevisionTarget, applied: Set<String>, named name: String) throws -> Set<String> {
        switch target {
        case .base:
            return applied
        case .revisions(let ids):
            let revert = descendants(of: ids.flatMap { children(of: $0) }).intersection(applied)
                .subtracting(ancestors(of: ids))
            let missing = ids.subtracting(applied)
            if revert.isEmpty && !missing.isEmpty {
                throw MigrationError.notApplied(target: name, revisions: sorted(missing))
            }
            return revert
        case .below(let roots):
            return descendants(of: roots).intersection(applied)
        }
    }

    /// The rows after applying `id` to a database whose version table holds `rows`.
    public func rows(afterApplying id: String, to rows: Set<String>) -> Set<String> {
        versionRows(forApplied: ancestors(of: rows).union([id]))
    }

    /// The rows after reverting `id` from a database whose version table holds `rows`.
    public func rows(afterReverting id: String, from rows: Set<String>) -> Set<String> {
        var applied = ancestors(of: rows)
        applied.remove(id)
        return versionRows(forApplied: applied)
    }
}

/// The version rows along a path, changed step by step without copying the whole set.
private struct VersionRows {
    private var rows: Set<String>
    /// Rows of the starting table that name an ancestor of another row: the first step
    /// drops them, as writing the table from the applied revisions would.
    private var redundant: Set<String>

    init(_ current: Set<String>, normalized: Set<String>) {
        rows = current
        redundant = current.subtracting(normalized)
    }

    /// Drops `dropping` and adds `adding`; returns the rows that really went and came.
    mutating func change(dropping: Set<String>, adding: Set<String>) -> (removed: Set<String>, added: Set<String>) {
        let dropping = redundant.isEmpty ? dropping : dropping.union(redundant)
        redundant = []
        let removed = dropping.filter { rows.contains($0) && !adding.contains($0) }
        let added = adding.filter { !rows.contains($0) }
        rows.subtract(removed)
        rows.formUnion(added)
        return (removed, added)
    }
}
