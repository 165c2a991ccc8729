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
/// accident); lists are comma-separated; `created` is an ISO 8601 date
/// (`2025-12-02T09:41:07Z`), which `revision` writes. Both sections are required; an empty
/// one does nothing. A file that is not a migration is a
/// ``MigrationError/invalidMigrationFile(path:line:problem:)`` naming the line.
///
/// A *repeatable* migration (views, functions, triggers; see
/// ``Migration/init(repeatable:_:transactional:acknowledging:upgrade:)``) names itself with
/// `-- repeatable: <name>` instead of `revision` and `parents`, and has an `-- upgrade`
/// section only:
///
/// ```sql
/// -- repeatable: active_users_view
/// -- message: users active in the last 30 days
/// -- upgrade
/// CREATE OR REPLACE VIEW active_users AS SELECT * FROM users WHERE seen_at > now() - interval '30 days';
/// ```
public struct MigrationFile: Sendable, Hashable {
    /// The header: id, parents, message, branch labels, dependencies, creation date.
    public var revision: Revision
    /// `-- transactional:` (true unless the file says false).
    public var isTransactional: Bool
    /// `-- acknowledge:`: lint rules the author accepts for this migration.
    public var acknowledged: Set<LintRule>
    /// The `-- upgrade` section.
    public var upgradeSQL: String
    /// The `-- downgrade` section.
    public var downgradeSQL: String
    /// Whether the file is a repeatable migration (`-- repeatable: <name>`).
    public var isRepeatable: Bool
    /// Where each section's SQL begins in the file (for files that were parsed).
    public var sectionLines: [MigrationDirection: Int]

    /// Files are equal by what they hold: where a parsed file's sections began
    /// (``sectionLines``) is bookkeeping for messages, not content.
    public static func == (lhs: MigrationFile, rhs: MigrationFile) -> Bool {
        lhs.revision == rhs.revision && lhs.isTransactional == rhs.isTransactional && lhs.acknowledged == rhs.acknowledged
            && lhs.upgradeSQL == rhs.upgradeSQL && lhs.downgradeSQL == rhs.downgradeSQL && lhs.isRepeatable == rhs.isRepeatable
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(revision)
        hasher.combine(upgradeSQL)
        hasher.combine(downgradeSQL)
    }

    public init(revision: Revision, transactional: Bool = true, acknowledging acknowledged: Set<LintRule> = [],
                upgradeSQL: String, downgradeSQL: String, repeatable: Bool = false,
                sectionLines: [MigrationDirection: Int] = [:]) {
        self.revision = revision
        self.isTransactional = transactional
        self.acknowledged = acknowledged
        self.upgradeSQL = upgradeSQL
        self.downgradeSQL = downgradeSQL
        self.isRepeatable = repeatable
        self.sectionLines = sectionLines
    }

    /// The header keys, in the order they are written.
    static let headerKeys = [
        "revision", "repeatable", "parents", "message", "created", "branch-labels", "depends-on", "transactional", "acknowledge",
    ]

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
        var lines: [String]
        if isRepeatable {
            lines = [header("repeatable", revision.id), header("message", revision.message.sanitizedForComment)]
        } else {
            lines = [
                header("revision", revision.id),
                header("parents", revision.parents.joined(separator: ", ")),
                header("message", revision.message.sanitizedForComment),
            ]
            if let created = revision.createdAt { lines.append(header("created", Self.iso8601(created))) }
            lines += [
                header("branch-labels", revision.branchLabels.sorted().joined(separator: ", ")),
                header("depends-on", revision.dependsOn.joined(separator: ", ")),
            ]
        }
        lines.append(header("transactional", "\(isTransactional)"))
        if !acknowledged.isEmpty {
            lines.append("-- acknowledge: \(acknowledged.map(\.rawValue).sorted().joined(separator: ", "))")
        }
        lines += ["", "-- upgrade", upgradeSQL]
        if !isRepeatable { lines += ["", "-- downgrade", downgradeSQL] }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The migration the file describes: each section as one script (which the runner sends
    /// one statement at a time, so that a failure names its statement and line).
    public func migration(source: String) -> Migration {
        func operations(_ sql: String) -> [SchemaOperation] {
            sql.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? [] : [.script(sql)]
        }
        return Migration(revision: revision, upgrade: operations(upgradeSQL), downgrade: operations(downgradeSQL),
                         transactional: isTransactional, acknowledging: acknowledged, source: source,
                         repeatable: isRepeatable, sectionLines: sectionLines)
    }

    /// `2025-12-02T09:41:07Z`: how `-- created:` is written.
    static func iso8601(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// Reads `-- created:`: ISO 8601 with or without fractional seconds, `T` or a space
    /// between date and time, `Z` or an offset (nil for anything else).
    static func parseDate(_ text: String) -> Date? {
        let normalized = text.count > 10 && text[text.index(text.startIndex, offsetBy: 10)] == " "
            ? String(text.prefix(10)) + "T" + String(text.dropFirst(11)) : text
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds]] {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = options
            if let date = formatter.date(from: normalized) { return date }
        }
        return nil
    }

    /// A name for the file: `<id>_<message as a slug>.sql`.
    public var fileName: String {
        let words = String(revision.message.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
            .split(separator: "_").joined(separator: "_")
        let slug = String(words.prefix(40))
        return slug.isEmpty ? "\(revision.id).sql" : "\(revision.id)_\(slug).sql"
    }
}
