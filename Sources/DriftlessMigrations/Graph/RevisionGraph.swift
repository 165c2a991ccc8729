import HeapModule

/// The migrations of an app as a validated graph: revisions, their parents (several for a
/// merge) and their cross-branch dependencies.
///
/// Building one checks everything that would otherwise fail half-way through a deploy:
/// duplicate ids, parents or dependencies that no migration defines, cycles, and branch
/// labels used twice. Each problem is a ``MigrationError`` naming the revisions involved.
///
/// ```swift
/// let graph = try RevisionGraph(appMigrations + MigrationDirectory(path: "migrations").migrations())
/// graph.heads            // ["ae1027a6acf4"]
/// try graph.resolve("ae10+1", current: [])
/// ```
///
/// As in Alembic, *heads* and *branch points* follow parents only; `dependsOn` orders
/// revisions (a dependency is applied first and reverted last) without making one branch.
///
/// Building, heads, paths and target resolution take time linear in the revisions (the
/// ordering n·log n), so histories of tens of thousands of revisions stay instant.
public struct RevisionGraph: Sendable {
    /// The graph's tables, shared by every copy: a copy (into a closure, a step) costs one
    /// reference count, not one per table.
    private final class Storage: Sendable {
        let migrations: [Migration]
        let position: [String: Int]
        let childIDs: [String: [String]]
        let dependentIDs: [String: [String]]
        /// Branch label → the revision that declares it.
        let labelOwners: [String: String]
        let heads: [String]
        let bases: [String]
        let branchPoints: [String]
        let repeatables: [Migration]

        init(ordered: [Migration], inputOrder: [String: Int], children: [String: [String]],
             dependents: [String: [String]], labels: [String: String], repeatables: [Migration]) {
            migrations = ordered
            self.repeatables = repeatables
            position = Dictionary(uniqueKeysWithValues: ordered.enumerated().map { ($1.revision.id, $0) })
            childIDs = children.mapValues { ids in ids.sorted { inputOrder[$0]! < inputOrder[$1]! } }
            dependentIDs = dependents
            labelOwners = labels
            let ids = ordered.map(\.revision.id)
            heads = ids.filter { children[$0] == nil }
            bases = ordered.filter(\.revision.parents.isEmpty).map(\.revision.id)
            branchPoints = ids.filter { (children[$0]?.count ?? 0) > 1 }
        }
    }

    private let storage: Storage

    /// Every migration, each after its parents and dependencies (ties keep the order given).
    public var migrations: [Migration] { storage.migrations }
    /// The revisions that no other revision names as a parent: what `upgrade heads` reaches.
    public var heads: [String] { storage.heads }
    /// The revisions without parents.
    public var bases: [String] { storage.bases }
    /// The revisions that several revisions name as their parent.
    public var branchPoints: [String] { storage.branchPoints }
    /// The repeatable migrations, in the order they run: by name, byte for byte.
    public var repeatableMigrations: [Migration] { storage.repeatables }

    /// Validates the migrations and orders them.
    ///
    /// - Throws: ``MigrationError/invalidRevisionID(_:reason:)``,
    ///   ``MigrationError/duplicateRevision(_:sources:)``,
    ///   ``MigrationError/unknownParent(revision:parent:)``,
    ///   ``MigrationError/unknownDependency(revision:dependency:)``,
    ///   ``MigrationError/duplicateBranchLabel(_:revisions:)`` or ``MigrationError/cycle(_:)``.
    ///
    /// Repeatable migrations (``Migration/isRepeatable``) are kept apart, in the order of
    /// their names (``repeatableMigrations``); their names share the namespace of revision
    /// ids, so that `show` and messages are never ambiguous.
    public init(_ migrations: [Migration]) throws {
        var byID: [String: Migration] = [:]
        var inputOrder: [String: Int] = [:]
        var repeatableNames: Set<String> = []
        for migration in migrations {
            let id = migration.revision.id
            try Self.validate(id: id)
            if byID[id] != nil || repeatableNames.contains(id) {
                throw MigrationError.duplicateRevision(id, sources: migrations.filter { $0.revision.id == id }.map(\.source))
            }
            if migration.isRepeatable {
                let revision = migration.revision
                guard revision.parents.isEmpty, revision.dependsOn.isEmpty, revision.branchLabels.isEmpty else {
                    throw MigrationError.invalidRevisionID(
                        id, reason: "a repeatable migration has no parents, dependencies or branch labels (it is not part of the revision graph)")
                }
                repeatableNames.insert(id)
            } else {
                byID[id] = migration
            }
        }
        let repeatables = migrations.filter(\.isRepeatable).sorted { Array($0.revision.id.utf8).lexicographicallyPrecedes($1.revision.id.utf8) }
        let migrations = migrations.filter { !$0.isRepeatable }
        for (index, migration) in migrations.enumerated() { inputOrder[migration.revision.id] = index }
        var children: [String: [String]] = [:]
        var dependents: [String: [String]] = [:]
        for migration in migrations {
            let revision = migration.revision
            for parent in revision.parents {
                guard byID[parent] != nil else { throw MigrationError.unknownParent(revision: revision.id, parent: parent) }
                children[parent, default: []].append(revision.id)
            }
            for dependency in revision.dependsOn {
                guard byID[dependency] != nil else {
                    throw MigrationError.unknownDependency(revision: revision.id, dependency: dependency)
                }
                dependents[dependency, default: []].append(revision.id)
            }
        }
        var labels: [String: String] = [:]
        for migration in migrations {
            for label in migration.revision.branchLabels.sorted() {
                if let owner = labels[label] {
                    throw MigrationError.duplicateBranchLabel(label, revisions: [owner, migration.revision.id])
                }
                if byID[label] != nil {
                    throw MigrationError.duplicateBranchLabel(label, revisions: [label, migration.revision.id])
                }
                try Self.validate(label: label, of: migration.revision.id)
                labels[label] = migration.revision.id
            }
        }
        let ordered = try Self.topologicalOrder(migrations, byID: byID, inputOrder: inputOrder)
        storage = Storage(ordered: ordered, inputOrder: inputOrder, children: children, dependents: dependents, labels: labels,
                          repeatables: repeatables)
    }

    /// Characters a revision id or label cannot contain: they separate targets (`label@head`,
    /// `ae10+2`, `start:end`) and header lists (`parents: a, b`); and no whitespace or control
    /// character either, which would end a header line or a comment.
    static func isReserved(_ character: Character) -> Bool {
        character.unicodeScalars.contains { scalar in
            guard scalar.isASCII else { return scalar.properties.isWhitespace || scalar.properties.generalCategory == .control }
            return scalar.value <= 0x20 || scalar.value == 0x7F || "@+-:,".unicodeScalars.contains(scalar)
        }
    }

    static func validate(id: String) throws {
        if id.isEmpty { throw MigrationError.invalidRevisionID(id, reason: "it is empty") }
        if let bad = id.first(where: isReserved) {
            throw MigrationError.invalidRevisionID(
                id, reason: "\"\(bad.unicodeScalars.map { $0.escaped(asASCII: true) }.joined())\" is reserved for targets "
                    + "(@ + - : , whitespace and control characters)")
        }
        if ["head", "heads", "base"].contains(id) {
            throw MigrationError.invalidRevisionID(id, reason: "it is a reserved target name")
        }
    }

    private static func validate(label: String, of revision: String) throws {
        if label.isEmpty || label.contains(where: isReserved) || ["head", "heads", "base"].contains(label) {
            throw MigrationError.invalidRevisionID(label, reason: "branch label of \(revision) must be a non-empty name without @ + - : , whitespace or control characters, and not head/heads/base")
        }
    }

    /// Kahn's algorithm over parents and dependencies; the ready revision given first wins
    /// (a heap of ready revisions by input position, so many roots cost n·log n).
    private static func topologicalOrder(
        _ migrations: [Migration], byID: [String: Migration], inputOrder: [String: Int]
    ) throws -> [Migration] {
        var remaining: [String: Int] = [:]
        var followers: [String: [String]] = [:]
        for migration in migrations {
            let revision = migration.revision
            let before = Set(revision.parents + revision.dependsOn)
            remaining[revision.id] = before.count
            for id in before { followers[id, default: []].append(revision.id) }
        }
        var ready = Heap(migrations.indices.filter { remaining[migrations[$0].revision.id] == 0 })
        var ordered: [Migration] = []
        ordered.reserveCapacity(migrations.count)
        while let next = ready.popMin() {
            let migration = migrations[next]
            ordered.append(migration)
            for follower in followers[migration.revision.id] ?? [] {
                remaining[follower]! -= 1
                if remaining[follower] == 0 { ready.insert(inputOrder[follower]!) }
            }
        }
        guard ordered.count == migrations.count else {
            let stuck = Set(remaining.filter { $0.value > 0 }.keys)
            throw MigrationError.cycle(findCycle(in: stuck, byID: byID, inputOrder: inputOrder))
        }
        return ordered
    }

    /// A cycle among revisions that could not be ordered, as a path that ends where it starts.
    private static func findCycle(in stuck: Set<String>, byID: [String: Migration], inputOrder: [String: Int]) -> [String] {
        let start = stuck.min { inputOrder[$0]! < inputOrder[$1]! }!
        var path: [String] = []
        var seen: [String: Int] = [:]
        var current = start
        // Every stuck revision has a stuck predecessor, so walking predecessors must repeat.
        while seen[current] == nil {
            seen[current] = path.count
            path.append(current)
            let revision = byID[current]!.revision
            current = (revision.parents + revision.dependsOn).filter(stuck.contains)
                .min { inputOrder[$0]! < inputOrder[$1]! }!
        }
        let cycle = Array(path[seen[current]!...]) + [current]
        return cycle.reversed()
    }

    // MARK: Queries

    /// The revisions, each after its parents and dependencies.
    public var revisions: [Revision] { migrations.map(\.revision) }

    /// Whether the graph has a revision with this exact id.
    public func contains(_ id: String) -> Bool { storage.position[id] != nil }

    /// The migration with this exact id.
    public func migration(_ id: String) -> Migration? {
        storage.position[id].map { storage.migrations[$0] }
    }

    /// The repeatable migration with this exact name.
    public func repeatableMigration(_ name: String) -> Migration? {
        storage.repeatables.first { $0.revision.id == name }
    }

    /// The revisions that name this one as a parent.
    public func children(of id: String) -> [String] { storage.childIDs[id] ?? [] }

    /// The revisions that name this one in `dependsOn`.
    public func dependents(of id: String) -> [String] { storage.dependentIDs[id] ?? [] }

    /// The branch labels declared in the graph, each with the revision that declares it.
    public var branchLabels: [String: String] { storage.labelOwners }

    /// The given revisions and everything that must be applied before them (parents and,
    /// unless told otherwise, dependencies, transitively).
    public func ancestors(of ids: some Sequence<String>, includingDependencies: Bool = true) -> Set<String> {
        var result: Set<String> = []
        var stack = Array(ids)
        while let id = stack.popLast() {
            guard result.insert(id).inserted, let revision = migration(id)?.revision else { continue }
            stack.append(contentsOf: revision.parents)
            if includingDependencies { stack.append(contentsOf: revision.dependsOn) }
        }
        return result
    }

    /// The given revisions and everything that follows them (children and, unless told
    /// otherwise, dependents, transitively).
    public func descendants(of ids: some Sequence<String>, includingDependents: Bool = true) -> Set<String> {
        var result: Set<String> = []
        var stack = Array(ids)
        while let id = stack.popLast() {
            guard result.insert(id).inserted else { continue }
            stack.append(contentsOf: children(of: id))
            if includingDependents { stack.append(contentsOf: dependents(of: id)) }
        }
        return result
    }

    /// The revisions of a branch: the one declaring the label, everything after it, and the
    /// revisions before it down to (not including) a branch point or merge, as in Alembic.
    public func members(ofBranch label: String) throws -> Set<String> {
        guard let owner = storage.labelOwners[label] else { throw MigrationError.unknownRevision(label) }
        var members = descendants(of: [owner], includingDependents: false)
        var current = owner
        while let revision = migration(current)?.revision, revision.parents.count == 1 {
            let parent = revision.parents[0]
            guard let parentRevision = migration(parent)?.revision,
                  children(of: parent).count == 1, dependents(of: parent).isEmpty,
                  parentRevision.parents.count <= 1
            else { break }
            members.insert(parent)
            current = parent
        }
        return members
    }

    /// The version-table rows that describe a set of applied revisions: one per applied
    /// revision that no applied revision names as a parent (a head of the applied part).
    public func versionRows(forApplied applied: Set<String>) -> Set<String> {
        applied.filter { id in !children(of: id).contains(where: applied.contains) }
    }

    /// Sorts revision ids as the graph orders them (unknown ids last, by name).
    public func sorted(_ ids: some Sequence<String>) -> [String] {
        let position = storage.position
        return ids.sorted { lhs, rhs in
            switch (position[lhs], position[rhs]) {
            case let (left?, right?): left < right
            case (_?, nil): true
            case (nil, _?): false
            case (nil, nil): lhs < rhs
            }
        }
    }
}
