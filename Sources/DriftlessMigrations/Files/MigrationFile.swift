import Foundation

/// A migration written as a SQL file, which the CLI can run without compiling the app.
///
/// ```sql
/// -- revision: ae1027a6acf4
/// -- parents: 1975ea83b712
/// -- message: add the plan column
/// -- branch-labels:
/// -- depends-on:
/// -- transactional: true
/// -- acknowledge: drop-column
///
/// -- upgrade
/// ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT 'free';
///
/// -- downgrade
/// ALTER TABLE users DROP COLUMN plan;
/// ```
///
/// The header lists `key: value` comments before `-- upgrade`: `revision` and `parents` are
/// required (an empty `parents` makes a root, so a forgotten line cannot make one by
/// accident); lists are comma-separated. Both sections are required; an empty one does
/// nothing. A file that is not a migration is a
/// ``MigrationError/invalidMigrationFile(path:line:problem:)`` naming the line.
public struct MigrationFile: Sendable, Hashable {
    /// The header: id, parents, message, branch labels, dependencies.
    public var revision: Revision
    /// `-- transactional:` (true unless the file says false).
    public var isTransactional: Bool
    /// `-- acknowledge:`: lint rules the author accepts for this migration.
    public var acknowledged: Set<LintRule>
    /// The `-- upgrade` section.
    public var upgradeSQL: String
    /// The `-- downgrade` section.
    public var downgradeSQL: String

    public init(revision: Revision, transactional: Bool = true, acknowledging acknowledged: Set<LintRule> = [],
                upgradeSQL: String, downgradeSQL: String) {
        self.revision = revision
        self.isTransactional = transactional
        self.acknowledged = acknowledged
        self.upgradeSQL = upgradeSQL
        self.downgradeSQL = downgradeSQL
    }

    /// The header keys, in the order they are written.
    static let headerKeys = ["revision", "parents", "message", "branch-labels", "depends-on", "transactional", "acknowledge"]

    /// Parses a file's text. Lines may end in `\n`, `\r\n` or `\r` (as editors on any
    /// system write them, and as Python's universal newlines read them), and a leading
    /// byte-order mark is ignored; each section's SQL is kept with `\n` line ends.
    ///
    /// - Parameter path: The file's path, for error messages.
    public init(parsing text: String, path: String) throws {
        var parser = MigrationFileParser(path: path)
        let lines = MigrationFileParser.lines(of: text)
        for (offset, line) in lines.enumerated() { try parser.read(line, number: offset + 1) }
        self = try parser.file(lastLine: max(1, lines.count - (lines.count > 1 && lines.last == "" ? 1 : 0)))
    }

    /// The file's text.
    public var text: String {
        let revision = revision
        func header(_ key: String, _ value: String) -> String { value.isEmpty ? "-- \(key):" : "-- \(key): \(value)" }
        var lines = [
            header("revision", revision.id),
            header("parents", revision.parents.joined(separator: ", ")),
            header("message", revision.message.sanitizedForComment),
            header("branch-labels", revision.branchLabels.sorted().joined(separator: ", ")),
            header("depends-on", revision.dependsOn.joined(separator: ", ")),
            header("transactional", "\(isTransactional)"),
        ]
        if !acknowledged.isEmpty {
            lines.append("-- acknowledge: \(acknowledged.map(\.rawValue).sorted().joined(separator: ", "))")
        }
        lines += ["", "-- upgrade", upgradeSQL, "", "-- downgrade", downgradeSQL]
        return lines.joined(separator: "\n") + "\n"
    }

    /// The migration the file describes: each section as one script (which a migration
    /// outside transactions sends one statement at a time).
    public func migration(source: String) -> Migration {
        func operations(_ sql: String) -> [SchemaOperation] {
            sql.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? [] : [.script(sql)]
        }
        return Migration(revision: revision, upgrade: operations(upgradeSQL), downgrade: operations(downgradeSQL),
                         transactional: isTransactional, acknowledging: acknowledged, source: source)
    }

    /// A name for the file: `<id>_<message as a slug>.sql`.
    public var fileName: String {
        let words = String(revision.message.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
            .split(separator: "_").joined(separator: "_")
        let slug = String(words.prefix(40))
        return slug.isEmpty ? "\(revision.id).sql" : "\(revision.id)_\(slug).sql"
    }
}
