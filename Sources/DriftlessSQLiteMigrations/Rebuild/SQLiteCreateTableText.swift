import DriftlessMigrations
import DriftlessSQLite

/// What a SQLite `CREATE TABLE` statement says that the pragmas do not: `CHECK`
/// constraints, `COLLATE`, `AUTOINCREMENT`, generated column expressions and the table
/// options (`WITHOUT ROWID`, `STRICT`).
///
/// The table rebuild builds the new table from reflection (`PRAGMA table_xinfo`,
/// `foreign_key_list`, `index_list`), which is exact for names, types, nullability, defaults
/// and keys; this reader fills in the rest from the stored text, clause by clause, using
/// ``SQLTokenizer`` so that commas and parentheses inside literals, comments and quoted names
/// cannot mislead it. Nothing here edits the stored text.
struct SQLiteCreateTableText: Sendable {
    /// The parts of one column definition.
    struct ColumnClauses: Sendable {
        /// `COLLATE name`, as written.
        var collation: String?
        /// Each column `CHECK (...)` (with any `CONSTRAINT name` before it), as written.
        var checks: [String] = []
        /// Whether the column says `AUTOINCREMENT`.
        var isAutoincrement = false
        /// The whole definition, as written, when the column is generated (`AS (...)`).
        var generatedDefinition: String?
    }

    /// The column clauses by column name (lower-cased: SQLite names are case-insensitive).
    var columns: [String: ColumnClauses] = [:]
    /// Table `CHECK` constraints, each with its `CONSTRAINT name` if any, as written.
    var tableChecks: [String] = []
    /// The text after the closing parenthesis (`WITHOUT ROWID`, `STRICT`), trimmed.
    var options = ""

    init(sql: String) {
        let tokens = SQLTokenizer(syntax: SQLiteDialect.sqlite.syntax).tokens(sql)
        let bytes = Array(sql.utf8)
        func text(_ from: Int, _ to: Int) -> String { String(decoding: bytes[from..<to], as: UTF8.self) }
        guard let open = tokens.firstIndex(where: { $0.isPunctuation("(") }) else { return }
        var depth = 0
        var itemStart = open + 1
        var items: [Range<Int>] = []
        var close = tokens.count
        for index in open..<tokens.count {
            let token = tokens[index]
            if token.isPunctuation("(") {
                depth += 1
            } else if token.isPunctuation(")") {
                depth -= 1
                if depth == 0 {
                    items.append(itemStart..<index)
                    close = index
                    break
                }
            } else if token.isPunctuation(","), depth == 1 {
                items.append(itemStart..<index)
                itemStart = index + 1
            }
        }
        if close < tokens.count {
            options = text(tokens[close].range.upperBound, bytes.count)
                .split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" || $0 == ";" })
                .joined(separator: " ")
        }
        for item in items where !item.isEmpty {
            let itemTokens = Array(tokens[item])
            let first = itemTokens[0]
            let itemText = text(itemTokens[0].range.lowerBound, itemTokens[itemTokens.count - 1].range.upperBound)
            if first.kind == .word, ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"].contains(first.keyword) {
                let isCheck = first.isKeyword("CHECK")
                    || (first.isKeyword("CONSTRAINT") && itemTokens.count > 2 && itemTokens[2].isKeyword("CHECK"))
                if isCheck { tableChecks.append(itemText) }
                continue
            }
            guard first.isIdentifier || first.kind == .string else { continue }
            var clauses = ColumnClauses()
            var index = 1
            while index < itemTokens.count {
                let token = itemTokens[index]
                if token.isKeyword("COLLATE"), index + 1 < itemTokens.count {
                    clauses.collation = text(itemTokens[index + 1].range.lowerBound, itemTokens[index + 1].range.upperBound)
                    index += 2
                    continue
                }
                if token.isKeyword("AUTOINCREMENT") { clauses.isAutoincrement = true }
                if token.isKeyword("AS"), index + 1 < itemTokens.count, itemTokens[index + 1].isPunctuation("(") {
                    clauses.generatedDefinition = itemText
                }
                if token.isKeyword("CHECK"), let end = Self.matchingParenthesis(itemTokens, from: index + 1) {
                    var start = index
                    if index >= 2, itemTokens[index - 2].isKeyword("CONSTRAINT") { start = index - 2 }
                    clauses.checks.append(text(itemTokens[start].range.lowerBound, itemTokens[end].range.upperBound))
                    index = end + 1
                    continue
                }
                if token.isPunctuation("("), let end = Self.matchingParenthesis(itemTokens, from: index) {
                    index = end + 1  // a type's arguments, a DEFAULT expression: nothing to read inside
                    continue
                }
                index += 1
            }
            columns[first.text.lowercased()] = clauses
        }
    }

    /// The index of the `)` closing the `(` at `start`, or nil.
    private static func matchingParenthesis(_ tokens: [SQLToken], from start: Int) -> Int? {
        guard start < tokens.count, tokens[start].isPunctuation("(") else { return nil }
        var depth = 0
        for index in start..<tokens.count {
            if tokens[index].isPunctuation("(") { depth += 1 }
            if tokens[index].isPunctuation(")") {
                depth -= 1
                if depth == 0 { return index }
            }
        }
        return nil
    }
}
