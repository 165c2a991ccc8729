import Foundation

/// A folder of SQL migration files (`migrations/` by default in the CLI): reads them as
/// migrations and writes new ones for `revision` and `merge`.
public struct MigrationDirectory: Sendable {
    /// The folder's path, relative to the working directory or absolute.
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// Whether the folder exists.
    public var exists: Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// The parsed files, by file name; none when the folder does not exist.
    ///
    /// - Throws: ``MigrationError/invalidMigrationFile(path:line:problem:)`` for the first
    ///   file that is not a migration.
    public func files() throws -> [(path: String, file: MigrationFile)] {
        guard exists else { return [] }
        let names = try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(".sql") }.sorted()
        return try names.map { name in
            let filePath = (path as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: filePath) else {
                throw MigrationError.invalidMigrationFile(path: filePath, line: 0, problem: "cannot be read")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw MigrationError.invalidMigrationFile(path: filePath, line: 0, problem: "is not UTF-8 text")
            }
            return (filePath, try MigrationFile(parsing: text, path: filePath))
        }
    }

    /// The migrations of the folder's files.
    public func migrations() throws -> [Migration] {
        try files().map { $0.file.migration(source: $0.path) }
    }

    /// Writes a migration file into the folder (creating it), never over an existing file.
    ///
    /// - Returns: The new file's path.
    @discardableResult
    public func write(_ file: MigrationFile) throws -> String {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let filePath = (path as NSString).appendingPathComponent(file.fileName)
        guard !FileManager.default.fileExists(atPath: filePath) else { throw MigrationError.fileExists(filePath) }
        try Data(file.text.utf8).write(to: URL(fileURLWithPath: filePath), options: .withoutOverwriting)
        return filePath
    }

    /// A new migration file following `head` (the graph's single head by default; `heads`
    /// makes it merge every head; `base` starts a new root), with a fresh random id (or
    /// `revisionID`) and the creation date.
    ///
    /// - Parameter splice: As in Alembic, a revision that follows a revision which is not a
    ///   head starts a new branch, so it must be asked for: without `splice`, such a `head`
    ///   is ``MigrationError/Code/notAHead``.
    /// - Throws: ``MigrationError/Code/invalidRevisionID`` or
    ///   ``MigrationError/Code/duplicateRevision`` for a `revisionID` that cannot be used.
    public static func newRevision(
        in graph: RevisionGraph, message: String, head: String = "head", splice: Bool = false, revisionID: String? = nil,
        branchLabels: Set<String> = [], dependsOn: [String] = [], transactional: Bool = true,
        createdAt: Date = Date(), upgradeSQL: String = "", downgradeSQL: String = ""
    ) throws -> MigrationFile {
        let parents: [String] = switch try graph.resolve(head, current: []) {
        case .base: []
        case .revisions(let ids): graph.sorted(ids)
        case .below:
            throw MigrationError.invalidTarget(head, reason: "a new revision follows a revision, head, heads or base")
        }
        let heads = Set(graph.heads)
        if !splice, let parent = parents.first(where: { !heads.contains($0) }) {
            throw MigrationError.notAHead(parent)
        }
        let dependencies = try dependsOn.map { try graph.revision(matching: $0) }
        return MigrationFile(
            revision: Revision(id: try id(revisionID, avoiding: graph), message: message, parents: parents,
                               branchLabels: branchLabels, dependsOn: dependencies, createdAt: createdAt),
            transactional: transactional, upgradeSQL: upgradeSQL, downgradeSQL: downgradeSQL)
    }

    /// A new repeatable migration file (``Migration/init(repeatable:_:transactional:acknowledging:upgrade:)``).
    public static func newRepeatable(
        in graph: RevisionGraph, name: String, message: String, transactional: Bool = true, upgradeSQL: String = ""
    ) throws -> MigrationFile {
        MigrationFile(revision: Revision(id: try id(name, avoiding: graph), message: message), transactional: transactional,
                      upgradeSQL: upgradeSQL, downgradeSQL: "", repeatable: true)
    }

    /// `requested` checked against the graph, or a fresh random id.
    private static func id(_ requested: String?, avoiding graph: RevisionGraph) throws -> String {
        guard let requested else { return newRevisionID(avoiding: graph) }
        try RevisionGraph.validate(id: requested)
        if let existing = graph.migration(requested) ?? graph.repeatableMigration(requested) {
            throw MigrationError.duplicateRevision(requested, sources: [existing.source, "the new revision"])
        }
        return requested
    }

    /// A merge revision whose parents are the given revisions (`heads` names every head).
    ///
    /// - Throws: ``MigrationError/invalidTarget(_:reason:)`` when fewer than two revisions
    ///   remain or one is an ancestor of another.
    public static func mergeRevision(in graph: RevisionGraph, of references: [String], message: String) throws -> MigrationFile {
        var parents: Set<String> = []
        for reference in references {
            switch try graph.resolve(reference, current: []) {
            case .revisions(let ids): parents.formUnion(ids)
            case .base, .below:
                throw MigrationError.invalidTarget(reference, reason: "merge takes revisions (or heads)")
            }
        }
        let ordered = graph.sorted(parents)
        guard ordered.count >= 2 else {
            throw MigrationError.invalidTarget(references.joined(separator: " "),
                                               reason: "a merge needs at least two revisions, found \(ordered.joined(separator: ", "))")
        }
        // A parent that precedes another has nothing to merge (one walk over the graph; the
        // descendant it precedes is looked up only for the message).
        let preceding = graph.ancestors(of: ordered.flatMap { graph.migration($0).map { $0.revision.parents + $0.revision.dependsOn } ?? [] })
        if let parent = ordered.first(where: preceding.contains),
           let descendant = ordered.first(where: { $0 != parent && graph.ancestors(of: [$0]).contains(parent) }) {
            throw MigrationError.invalidTarget(parent, reason: "it is an ancestor of \(descendant): nothing to merge")
        }
        return MigrationFile(
            revision: Revision(id: newRevisionID(avoiding: graph), message: message, parents: ordered, createdAt: Date()),
            upgradeSQL: "", downgradeSQL: "")
    }

    /// 12 random hex digits, as Alembic's ids, not already used in the graph.
    public static func newRevisionID(avoiding graph: RevisionGraph? = nil) -> String {
        while true {
            var generator = SystemRandomNumberGenerator()
            let id = (0..<12).map { _ in String(Int.random(in: 0..<16, using: &generator), radix: 16) }.joined()
            if graph?.contains(id) != true && graph?.repeatableMigration(id) == nil { return id }
        }
    }
}
