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

    /// Parses a file's text.
    ///
    /// - Parameter path: The file's path, for error messages.
    public init(parsing text: String, path: String) throws {
        func fail(_ line: Int, _ problem: String) -> MigrationError {
            .invalidMigrationFile(path: path, line: line, problem: problem)
        }
        var header: [String: (value: String, line: Int)] = [:]
        var section: MigrationDirection?
        var sectionLines: [MigrationDirection: Int] = [:]
        var upgrade: [String] = []
        var downgrade: [String] = []
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        for (offset, line) in lines.enumerated() {
            let number = offset + 1
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if let marker = Self.sectionMarker(trimmed) {
                if let previous = sectionLines[marker] {
                    throw fail(number, "a second \"-- \(marker)\" section (the first is on line \(previous))")
                }
                if marker == .upgrade && section == .downgrade {
                    throw fail(number, "\"-- upgrade\" must come before \"-- downgrade\"")
                }
                if marker == .downgrade && section == nil {
                    throw fail(number, "\"-- downgrade\" before \"-- upgrade\"")
                }
                section = marker
                sectionLines[marker] = number
                continue
            }
            switch section {
            case .upgrade: upgrade.append(line)
            case .downgrade: downgrade.append(line)
            case nil:
                if trimmed.isEmpty { continue }
                guard trimmed.hasPrefix("--") else {
                    throw fail(number, "SQL before \"-- upgrade\" (the header holds only \"-- key: value\" comments)")
                }
                let comment = trimmed.dropFirst(2).trimmingCharacters(in: .whitespaces)
                guard let colon = comment.firstIndex(of: ":") else { continue }  // a plain comment
                let key = comment[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
                let value = comment[comment.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                guard Self.headerKeys.contains(key) else {
                    throw fail(number, "unknown header \"\(key)\" (expected one of: \(Self.headerKeys.joined(separator: ", ")))")
                }
                if let previous = header[key] {
                    throw fail(number, "\"\(key)\" is given twice (first on line \(previous.line))")
                }
                header[key] = (value, number)
            }
        }
        let lastLine = max(1, lines.count - (text.hasSuffix("\n") ? 1 : 0))
        guard let revision = header["revision"] else { throw fail(1, "no \"-- revision: <id>\" header") }
        guard revision.value.isEmpty == false else { throw fail(revision.line, "the revision id is empty") }
        if let bad = revision.value.first(where: RevisionGraph.reservedCharacters.contains) {
            throw fail(revision.line, "the revision id contains \"\(bad)\", which is reserved for targets")
        }
        guard let parents = header["parents"] else {
            throw fail(revision.line, "no \"-- parents:\" header (leave it empty for the first revision)")
        }
        guard sectionLines[.upgrade] != nil else { throw fail(lastLine, "no \"-- upgrade\" section") }
        guard sectionLines[.downgrade] != nil else {
            throw fail(lastLine, "no \"-- downgrade\" section (leave it empty if there is nothing to revert)")
        }
        var transactional = true
        if let entry = header["transactional"] {
            switch entry.value.lowercased() {
            case "true", "yes", "": transactional = true
            case "false", "no": transactional = false
            default: throw fail(entry.line, "transactional must be true or false, not \"\(entry.value)\"")
            }
        }
        var acknowledged: Set<LintRule> = []
        if let entry = header["acknowledge"] {
            for name in Self.list(entry.value) {
                guard let rule = LintRule(rawValue: name) else {
                    throw fail(entry.line, "unknown lint rule \"\(name)\" (expected one of: \(LintRule.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                acknowledged.insert(rule)
            }
        }
        self.init(
            revision: Revision(
                id: revision.value, message: header["message"]?.value ?? "",
                parents: Self.list(parents.value),
                branchLabels: Set(Self.list(header["branch-labels"]?.value ?? "")),
                dependsOn: Self.list(header["depends-on"]?.value ?? "")),
            transactional: transactional, acknowledging: acknowledged,
            upgradeSQL: Self.body(upgrade), downgradeSQL: Self.body(downgrade))
    }

    private static func sectionMarker(_ line: String) -> MigrationDirection? {
        guard line.hasPrefix("--") else { return nil }
        let word = line.dropFirst(2).trimmingCharacters(in: .whitespaces).lowercased()
        return MigrationDirection(rawValue: word)
    }

    private static func list(_ value: String) -> [String] {
        value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Section lines without the blank lines around them.
    private static func body(_ lines: [String]) -> String {
        var lines = lines[...]
        while lines.first?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines = lines.dropFirst() }
        while lines.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines = lines.dropLast() }
        return lines.joined(separator: "\n")
    }

    /// The file's text.
    public var text: String {
        let revision = revision
        func header(_ key: String, _ value: String) -> String { value.isEmpty ? "-- \(key):" : "-- \(key): \(value)" }
        var lines = [
            header("revision", revision.id),
            header("parents", revision.parents.joined(separator: ", ")),
            header("message", revision.message.replacingOccurrences(of: "\n", with: " ")),
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
