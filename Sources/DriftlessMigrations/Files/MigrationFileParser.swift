import Foundation

/// Reads a SQL migration file line by line (``MigrationFile/init(parsing:path:)``): the
/// `-- key: value` header, then the `-- upgrade` and `-- downgrade` sections; then checks
/// the header and builds the file. Every problem is a
/// ``MigrationError/Code/invalidMigrationFile`` naming the line.
struct MigrationFileParser {
    let path: String
    private var header: [String: (value: String, line: Int)] = [:]
    private var section: MigrationDirection?
    private var sectionLines: [MigrationDirection: Int] = [:]
    private var upgrade: [String] = []
    private var downgrade: [String] = []

    init(path: String) {
        self.path = path
    }

    /// The lines of a file's text: split at `\n`, `\r\n` and `\r`, without a leading
    /// byte-order mark.
    static func lines(of text: String) -> [String] {
        let text = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        // "\r\n" is one Character, so it splits once.
        return text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }.map(String.init)
    }

    private func fail(_ line: Int, _ problem: String) -> MigrationError {
        .invalidMigrationFile(path: path, line: line, problem: problem)
    }

    // MARK: Reading

    mutating func read(_ line: String, number: Int) throws {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if let marker = Self.sectionMarker(trimmed) { return try enter(marker, at: number) }
        switch section {
        case .upgrade: upgrade.append(line)
        case .downgrade: downgrade.append(line)
        case nil: try readHeader(trimmed, at: number)
        }
    }

    private mutating func enter(_ marker: MigrationDirection, at number: Int) throws {
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
    }

    /// A header line: blank, a plain comment, or `-- key: value`.
    private mutating func readHeader(_ trimmed: String, at number: Int) throws {
        if trimmed.isEmpty { return }
        guard trimmed.hasPrefix("--") else {
            throw fail(number, "SQL before \"-- upgrade\" (the header holds only \"-- key: value\" comments)")
        }
        let comment = trimmed.dropFirst(2).trimmingCharacters(in: .whitespaces)
        guard let colon = comment.firstIndex(of: ":") else { return }  // a plain comment
        let key = comment[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        let value = comment[comment.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        guard MigrationFile.headerKeys.contains(key) else {
            throw fail(number, "unknown header \"\(key)\" (expected one of: \(MigrationFile.headerKeys.joined(separator: ", ")))")
        }
        if let previous = header[key] {
            throw fail(number, "\"\(key)\" is given twice (first on line \(previous.line))")
        }
        header[key] = (value, number)
    }

    private static func sectionMarker(_ line: String) -> MigrationDirection? {
        guard line.hasPrefix("--") else { return nil }
        let word = line.dropFirst(2).trimmingCharacters(in: .whitespaces).lowercased()
        return MigrationDirection(rawValue: word)
    }

    // MARK: Checking

    /// The file, once every line is read; `lastLine` is where a missing section is reported.
    func file(lastLine: Int) throws -> MigrationFile {
        if header["repeatable"] != nil { return try repeatableFile(lastLine: lastLine) }
        let id = try name(of: "revision")
        guard let parents = header["parents"] else {
            throw fail(id.line, "no \"-- parents:\" header (leave it empty for the first revision)")
        }
        guard sectionLines[.upgrade] != nil else { throw fail(lastLine, "no \"-- upgrade\" section") }
        guard sectionLines[.downgrade] != nil else {
            throw fail(lastLine, "no \"-- downgrade\" section (leave it empty if there is nothing to revert)")
        }
        return MigrationFile(
            revision: Revision(
                id: id.value, message: header["message"]?.value ?? "",
                parents: Self.list(parents.value),
                branchLabels: Set(Self.list(header["branch-labels"]?.value ?? "")),
                dependsOn: Self.list(header["depends-on"]?.value ?? ""),
                createdAt: try createdAt()),
            transactional: try isTransactional(), acknowledging: try acknowledged(),
            upgradeSQL: Self.body(upgrade), downgradeSQL: Self.body(downgrade), sectionLines: bodyLines())
    }

    /// A `-- repeatable:` file: a name instead of a revision and parents, one section.
    private func repeatableFile(lastLine: Int) throws -> MigrationFile {
        let name = try name(of: "repeatable")
        for key in ["revision", "parents", "branch-labels", "depends-on", "created"] {
            if let entry = header[key] {
                throw fail(entry.line, "a repeatable migration has no \"\(key)\" (it is not part of the revision graph)")
            }
        }
        guard sectionLines[.upgrade] != nil else { throw fail(lastLine, "no \"-- upgrade\" section") }
        if let line = sectionLines[.downgrade] {
            throw fail(line, "a repeatable migration has no \"-- downgrade\" section (it is re-applied, never reverted)")
        }
        return MigrationFile(
            revision: Revision(id: name.value, message: header["message"]?.value ?? ""),
            transactional: try isTransactional(), acknowledging: try acknowledged(),
            upgradeSQL: Self.body(upgrade), downgradeSQL: "", repeatable: true, sectionLines: bodyLines())
    }

    /// The header value naming the migration (`revision` or `repeatable`), checked.
    private func name(of key: String) throws -> (value: String, line: Int) {
        guard let entry = header[key] else { throw fail(1, "no \"-- revision: <id>\" header") }
        let what = key == "revision" ? "the revision id" : "the repeatable migration's name"
        guard !entry.value.isEmpty else { throw fail(entry.line, "\(what) is empty") }
        if let bad = entry.value.first(where: RevisionGraph.isReserved) {
            let shown = bad.unicodeScalars.map { $0.escaped(asASCII: true) }.joined()
            throw fail(entry.line, "\(what) contains \"\(shown)\", which is reserved for targets")
        }
        if header["revision"] != nil && header["repeatable"] != nil {
            throw fail(header["repeatable"]!.line, "a file is a revision or a repeatable migration, not both")
        }
        return entry
    }

    private func createdAt() throws -> Date? {
        guard let entry = header["created"], !entry.value.isEmpty else { return nil }
        guard let date = MigrationFile.parseDate(entry.value) else {
            throw fail(entry.line, "created must be an ISO 8601 date such as 2025-12-02T09:41:07Z, not \"\(entry.value)\"")
        }
        return date
    }

    /// The line where each section's SQL begins: after its marker and the blank lines that
    /// ``body(_:)`` drops.
    private func bodyLines() -> [MigrationDirection: Int] {
        var lines: [MigrationDirection: Int] = [:]
        for (direction, marker) in sectionLines {
            let body = direction == .upgrade ? upgrade : downgrade
            let blank = body.prefix { $0.trimmingCharacters(in: .whitespaces).isEmpty }.count
            lines[direction] = marker + 1 + blank
        }
        return lines
    }

    private func isTransactional() throws -> Bool {
        guard let entry = header["transactional"] else { return true }
        switch entry.value.lowercased() {
        case "true", "yes", "": return true
        case "false", "no": return false
        default: throw fail(entry.line, "transactional must be true or false, not \"\(entry.value)\"")
        }
    }

    private func acknowledged() throws -> Set<LintRule> {
        guard let entry = header["acknowledge"] else { return [] }
        return Set(try Self.list(entry.value).map { name in
            guard let rule = LintRule(rawValue: name) else {
                throw fail(entry.line, "unknown lint rule \"\(name)\" (expected one of: \(LintRule.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            return rule
        })
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
}
