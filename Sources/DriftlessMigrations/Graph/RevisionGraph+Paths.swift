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
        var rows = current
        var state = applied
        return migrations.filter { needed.contains($0.revision.id) }.map { migration in
            let before = rows
            state.insert(migration.revision.id)
            rows = versionRows(forApplied: state)
            return MigrationStep(migration: migration, direction: .upgrade,
                                 versionsBefore: sorted(before), versionsAfter: sorted(rows))
        }
    }

    /// The migrations to revert to take a database whose version table holds `current` back
    /// to `target`, in the order to revert them (children and dependents first).
    ///
    /// As in Alembic, downgrading to a revision reverts what was applied after it (its
    /// descendants, and whatever depends on them) and leaves other branches alone; `base`
    /// reverts everything.
    ///
    /// - Throws: ``MigrationError/notApplied(target:revisions:)`` when the target is not
    ///   applied and nothing above it is either.
    public func downgradePath(from current: Set<String>, to target: RevisionTarget, named name: String) throws -> [MigrationStep] {
        let applied = ancestors(of: current)
        var revert: Set<String>
        switch target {
        case .base:
            revert = applied
        case .revisions(let ids):
            revert = descendants(of: ids.flatMap { children(of: $0) }).intersection(applied)
            revert.subtract(ancestors(of: ids))
            let missing = ids.subtracting(applied)
            if revert.isEmpty && !missing.isEmpty {
                throw MigrationError.notApplied(target: name, revisions: sorted(missing))
            }
        case .below(let roots):
            revert = descendants(of: roots).intersection(applied)
        }
        var rows = current
        var state = applied
        return migrations.reversed().filter { revert.contains($0.revision.id) }.map { migration in
            let before = rows
            state.remove(migration.revision.id)
            rows = versionRows(forApplied: state)
            return MigrationStep(migration: migration, direction: .downgrade,
                                 versionsBefore: sorted(before), versionsAfter: sorted(rows))
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
