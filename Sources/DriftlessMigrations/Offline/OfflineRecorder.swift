import Foundation
import Driftless

/// The ``MigrationConnection`` offline SQL is rendered through: it records each statement
/// (with bound values inlined as literals) instead of sending it to a database.
///
/// Beside it may run a shadow database (SQLite, in memory) that executes the same
/// statements, so that operations that must look at a table first (a SQLite table rebuild
/// copies the live columns, indexes and triggers) see what the earlier migrations created.
/// Without a shadow (PostgreSQL), queries and reflection throw
/// ``MigrationError/Code/offlineUnsupported``. The shadow holds the schema but no rows, so
/// while custom Swift code runs (its `execute` calls become the script's statements) queries
/// throw too: what it would read is not there.
final class OfflineRecorder: MigrationConnection {
    let dialect: any MigrationDialect
    private let shadow: (any MigrationConnection)?
    /// Whether statements are recorded (off while the shadow replays earlier migrations).
    var isRecording = true
    /// The custom operation running now, if any: it may write but not read.
    var customOperation: String?
    private(set) var lines: [String] = []

    init(dialect: any MigrationDialect, shadow: (any MigrationConnection)?) {
        self.dialect = dialect
        self.shadow = shadow
    }

    /// Adds a line to the script without running it on the shadow (blank lines).
    func emit(_ line: String) {
        if isRecording { lines.append(line) }
    }

    /// Adds a `--` comment line. The text is sanitized (``Swift/String/sanitizedForComment``):
    /// a migration's message, a target or a summary can hold any characters, and none of
    /// them may end the comment and become SQL.
    func comment(_ text: String) {
        emit(Self.comment(text))
    }

    static func comment(_ text: String) -> String {
        "-- " + text.sanitizedForComment
    }

    func execute(_ sql: String, arguments: [DatabaseValue]) throws {
        try RawSQL.check(sql)
        try shadow?.execute(sql, arguments: arguments)
        let inlined = try PlaceholderInliner.inline(sql, arguments: arguments, dialect: dialect)
        try checkLineEndings(inlined)
        emit(Self.terminated(inlined))
    }

    func executeScript(_ sql: String) throws {
        try RawSQL.check(sql)
        try shadow?.executeScript(sql)
        let trimmed = sql.trimmingCharacters(in: .whitespacesAndNewlines)
        try checkLineEndings(trimmed)
        if !trimmed.isEmpty { emit(Self.terminated(trimmed)) }
    }

    /// Throws when a quoted name or a string literal of the statement holds CR LF and the
    /// tool the script is for reads CR LF as LF (``MigrationDialect/scriptReaderNormalizesLineEndings``):
    /// run, the script would create or name something else than the migration online.
    private func checkLineEndings(_ sql: String) throws {
        guard dialect.scriptReaderNormalizesLineEndings, sql.utf8.contains(UInt8(ascii: "\r")) else { return }
        let bytes = Array(sql.utf8)
        for token in SQLTokenizer(syntax: dialect.syntax).tokens(sql)
        where token.kind == .string || token.kind == .quotedIdentifier {
            let text = bytes[token.range]
            if zip(text, text.dropFirst()).contains(where: { $0 == UInt8(ascii: "\r") && $1 == UInt8(ascii: "\n") }) {
                throw MigrationError.offlineUnsupported(
                    "a name or literal holding CR LF, which \(dialect.name)'s command-line tool reads as LF,")
            }
        }
    }

    func query(_ sql: String, arguments: [DatabaseValue]) throws -> [[DatabaseValue]] {
        if let customOperation {
            throw MigrationError.offlineUnsupported("\(customOperation), which reads the database (\(sql)),")
        }
        guard let shadow else { throw MigrationError.offlineUnsupported("a query (\(sql))") }
        return try shadow.query(sql, arguments: arguments)
    }

    func reflectTable(_ table: TableName) throws -> TableSchema? {
        guard let shadow else { throw MigrationError.offlineUnsupported("reflecting table \(table)") }
        return try shadow.reflectTable(table)
    }

    /// The statement ending with a semicolon (on a line of its own after a trailing comment).
    static func terminated(_ sql: String) -> String {
        let trimmed = sql.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasSuffix(";") { return trimmed }
        let lastLine = trimmed.split(separator: "\n", omittingEmptySubsequences: false).last ?? ""
        return lastLine.contains("--") ? trimmed + "\n;" : trimmed + ";"
    }
}
