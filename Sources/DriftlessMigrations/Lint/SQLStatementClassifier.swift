import Driftless

/// Reads the schema changes out of SQL text (SQL-file migrations, `.execute` and `.script`
/// operations) for the lint.
///
/// Conservative by construction: it works on ``SQLTokenizer`` tokens of the dialect's
/// syntax, so comments, string literals, dollar-quoted bodies and quoted identifiers never
/// look like statements, and text the database runs is never hidden in a comment; it
/// recognizes the statement shapes the lint rules are about (`ALTER TABLE` actions,
/// `DROP TABLE`, `CREATE INDEX`, `SET lock_timeout`...), treats other DDL it does not
/// understand as taking a strong lock, `CASCADE` on a drop as a change of its own, and a
/// statement it cannot read at all (`DO`, `EXECUTE`, `CALL`, an unknown verb) as
/// unverifiable: never as harmless. Names resolve as the database resolves them
/// (``SQLSyntax/foldsUnquotedNamesToLowercase``).
struct SQLStatementClassifier: Sendable {
    let tokenizer: SQLTokenizer
    let foldsToLowercase: Bool

    init(syntax: SQLSyntax) {
        tokenizer = SQLTokenizer(syntax: syntax)
        foldsToLowercase = syntax.foldsUnquotedNamesToLowercase
    }

    /// Statements that change no schema and lock no table for long: data, transaction
    /// control, session settings, grants, comments, maintenance.
    static let dataVerbs: Set = [
        "SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "VALUES", "TABLE", "MERGE", "REPLACE", "COPY", "SHOW",
        "EXPLAIN", "ANALYZE", "ANALYSE", "VACUUM", "COMMENT", "GRANT", "REVOKE", "NOTIFY", "LISTEN", "UNLISTEN",
        "SECURITY", "PRAGMA", "BEGIN", "START", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE", "ABORT",
        "CHECKPOINT", "DISCARD", "DEALLOCATE", "PREPARE", "DECLARE", "FETCH", "CLOSE", "MOVE", "ATTACH", "DETACH",
        "IMPORT", "LOAD",
    ]

    func changes(in sql: String) -> [LintedChange] {
        let bytes = Array(sql.utf8)
        return tokenizer.statements(sql).flatMap { statement -> [LintedChange] in
            let text = SQLTokenizer.source(of: statement, in: bytes)
            let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" })
            let joined = words.joined(separator: " ")
            let summary = joined.count > 60 ? joined.prefix(57) + "..." : joined
            return classify(statement).map { LintedChange(kind: $0, summary: String(summary)) }
        }
    }

    /// The changes one statement makes.
    func classify(_ tokens: [SQLToken]) -> [LintedChange.Kind] {
        var cursor = Cursor(tokens: tokens, foldsToLowercase: foldsToLowercase)
        let verb = cursor.next()?.keyword ?? ""
        let kinds = classify(verb, &cursor, tokens)
        guard ["DROP", "ALTER", "TRUNCATE"].contains(verb), Self.cascades(tokens) else { return kinds }
        return kinds + [.cascade]
    }

    private func classify(_ verb: String, _ cursor: inout Cursor, _ tokens: [SQLToken]) -> [LintedChange.Kind] {
        switch verb {
        case "CREATE":
            return classifyCreate(&cursor)
        case "DROP":
            return classifyDrop(&cursor)
        case "ALTER":
            guard cursor.accept("TABLE") else { return [.otherLocking(nil)] }
            return classifyAlterTable(&cursor)
        case "SET":
            _ = cursor.accept("SESSION") || cursor.accept("LOCAL")
            guard cursor.peek?.isIdentifier == true, cursor.peek?.text.lowercased() == "lock_timeout" else { return [.data] }
            cursor.advance()
            _ = cursor.accept("TO") || cursor.acceptPunctuation("=")
            return [.setLockTimeout(isEffective: Self.isEffectiveTimeout(cursor.peek))]
        case "RESET":
            let target = cursor.peek?.text.lowercased()
            return target == "lock_timeout" || target == "all" ? [.setLockTimeout(isEffective: false)] : [.data]
        case "SELECT" where tokens.contains(where: { $0.kind == .word && $0.text.lowercased() == "set_config" }):
            guard let index = tokens.firstIndex(where: { $0.kind == .string && $0.text.lowercased() == "lock_timeout" }) else {
                return [.data]
            }
            let value = tokens[(index + 1)...].first { $0.kind == .string || $0.kind == .number }
            return [.setLockTimeout(isEffective: Self.isEffectiveTimeout(value))]
        case "TRUNCATE", "LOCK", "REINDEX", "CLUSTER", "REFRESH":
            return [.otherLocking(nil)]
        case "VACUUM" where tokens.contains(where: { $0.isKeyword("FULL") }):
            return [.otherLocking(nil)]
        case "PRAGMA" where cursor.peek?.text.lowercased() == "writable_schema":
            return [.unverifiable]  // the schema is then edited as rows
        case let verb where Self.dataVerbs.contains(verb):
            return [.data]
        default:
            return [.unverifiable]  // DO, EXECUTE, CALL, and anything the lint does not know
        }
    }

    /// Whether a `CASCADE` in the statement is a drop behaviour (not a foreign key's
    /// `ON DELETE CASCADE` / `ON UPDATE CASCADE`).
    static func cascades(_ tokens: [SQLToken]) -> Bool {
        tokens.indices.contains { index in
            tokens[index].isKeyword("CASCADE")
                && !(index > 0 && (tokens[index - 1].isKeyword("DELETE") || tokens[index - 1].isKeyword("UPDATE")))
        }
    }

    /// A `lock_timeout` value that limits anything: not `0`, `'0'`, `'0ms'` or `DEFAULT`.
    static func isEffectiveTimeout(_ token: SQLToken?) -> Bool {
        guard let token else { return false }
        if token.isKeyword("DEFAULT") { return false }
        let digits = token.text.prefix { $0.isNumber || $0 == "." }
        if let value = Double(digits), value == 0 { return false }
        return true
    }

    private func classifyCreate(_ cursor: inout Cursor) -> [LintedChange.Kind] {
        _ = cursor.accept("OR") && cursor.accept("REPLACE")
        while cursor.accept("TEMP") || cursor.accept("TEMPORARY") || cursor.accept("UNLOGGED") || cursor.accept("GLOBAL")
            || cursor.accept("LOCAL") {}
        if cursor.accept("TABLE") {
            _ = cursor.accept("IF") && cursor.accept("NOT") && cursor.accept("EXISTS")
            return cursor.tableName().map { [.createTable($0)] } ?? [.data]
        }
        _ = cursor.accept("UNIQUE")
        if cursor.accept("INDEX") {
            let concurrently = cursor.accept("CONCURRENTLY")
            // Skip the optional name and IF NOT EXISTS up to ON.
            while let token = cursor.peek, !token.isKeyword("ON") { cursor.advance() }
            guard cursor.accept("ON") else { return [.otherLocking(nil)] }
            _ = cursor.accept("ONLY")
            return [.createIndex(table: cursor.tableName() ?? TableName(""), concurrently: concurrently)]
        }
        _ = cursor.accept("CONSTRAINT")
        if cursor.accept("TRIGGER") {
            while let token = cursor.peek, !token.isKeyword("ON") { cursor.advance() }
            _ = cursor.accept("ON")
            return [.otherLocking(cursor.tableName())]
        }
        if cursor.accept("RULE") { return [.unverifiable] }  // rewrites the queries of running code
        return [.data]  // views, functions, types, schemas, sequences: no lock on existing tables
    }

    private func classifyDrop(_ cursor: inout Cursor) -> [LintedChange.Kind] {
        if cursor.accept("TABLE") {
            _ = cursor.accept("IF") && cursor.accept("EXISTS")
            var tables: [LintedChange.Kind] = []
            repeat {
                guard let table = cursor.tableName() else { break }
                tables.append(.dropTable(table))
            } while cursor.acceptPunctuation(",")
            return tables.isEmpty ? [.otherLocking(nil)] : tables
        }
        if cursor.accept("INDEX") {
            return [.dropIndex(concurrently: cursor.accept("CONCURRENTLY"))]
        }
        if cursor.accept("TRIGGER") { return [.otherLocking(nil)] }
        if cursor.accept("OWNED") { return [.unverifiable] }  // everything a role owns
        return [.data]  // without CASCADE the database refuses while anything depends on it
    }

    private func classifyAlterTable(_ cursor: inout Cursor) -> [LintedChange.Kind] {
        _ = cursor.accept("IF") && cursor.accept("EXISTS")
        _ = cursor.accept("ONLY")
        guard let table = cursor.tableName() else { return [.otherLocking(nil)] }
        _ = cursor.acceptPunctuation("*")
        return cursor.actions().map { action in classifyAction(action, table: table) }
    }

    /// One comma-separated action of `ALTER TABLE`.
    private func classifyAction(_ tokens: [SQLToken], table: TableName) -> LintedChange.Kind {
        var cursor = Cursor(tokens: tokens, foldsToLowercase: foldsToLowercase)
        let constraintWords: Set = ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN", "EXCLUDE"]
        switch cursor.next()?.keyword {
        case "ADD":
            if let next = cursor.peek, constraintWords.contains(next.keyword) { return .otherLocking(table) }
            _ = cursor.accept("COLUMN")
            _ = cursor.accept("IF") && cursor.accept("NOT") && cursor.accept("EXISTS")
            guard let column = cursor.identifier() else { return .otherLocking(table) }
            let rest = cursor.remaining
            let topLevel = Cursor.topLevel(rest)
            let notNull = zip(topLevel, topLevel.dropFirst()).contains { $0.isKeyword("NOT") && $1.isKeyword("NULL") }
                || zip(topLevel, topLevel.dropFirst()).contains { $0.isKeyword("PRIMARY") && $1.isKeyword("KEY") }
            let filled = topLevel.contains { $0.isKeyword("DEFAULT") || $0.isKeyword("GENERATED") || $0.isKeyword("AS") }
                || ["SERIAL", "BIGSERIAL", "SMALLSERIAL", "SERIAL4", "SERIAL8", "SERIAL2"].contains(rest.first?.keyword ?? "")
            return .addColumn(table, column: column, isRequired: notNull && !filled)
        case "DROP":
            if let next = cursor.peek, next.isKeyword("CONSTRAINT") { return .otherLocking(table) }
            _ = cursor.accept("COLUMN")
            _ = cursor.accept("IF") && cursor.accept("EXISTS")
            guard let column = cursor.identifier() else { return .otherLocking(table) }
            return .dropColumn(table, column: column)
        case "RENAME":
            if cursor.accept("TO") {
                return cursor.identifier().map { .renameTable(table, to: $0) } ?? .otherLocking(table)
            }
            if cursor.accept("CONSTRAINT") { return .otherLocking(table) }
            _ = cursor.accept("COLUMN")
            guard let old = cursor.identifier(), cursor.accept("TO"), let new = cursor.identifier() else {
                return .otherLocking(table)
            }
            return .renameColumn(table, from: old, to: new)
        case "ALTER":
            _ = cursor.accept("COLUMN")
            guard let column = cursor.identifier() else { return .otherLocking(table) }
            let changesType = cursor.accept("TYPE") || (cursor.accept("SET") && cursor.accept("DATA") && cursor.accept("TYPE"))
            return .alterColumn(table, column: column, changesType: changesType)
        default:
            return .otherLocking(table)
        }
    }
}

extension SQLStatementClassifier {
    /// A position in a statement's tokens.
    struct Cursor {
        let tokens: [SQLToken]
        let foldsToLowercase: Bool
        var index = 0

        var peek: SQLToken? { index < tokens.count ? tokens[index] : nil }
        var remaining: [SQLToken] { Array(tokens[min(index, tokens.count)...]) }

        mutating func advance() { index += 1 }

        mutating func next() -> SQLToken? {
            defer { index += 1 }
            return peek
        }

        /// Consumes the keyword if it is next.
        mutating func accept(_ keyword: String) -> Bool {
            guard peek?.isKeyword(keyword) == true else { return false }
            index += 1
            return true
        }

        mutating func acceptPunctuation(_ character: Character) -> Bool {
            guard peek?.isPunctuation(character) == true else { return false }
            index += 1
            return true
        }

        /// One name, as the database resolves it.
        mutating func identifier() -> String? {
            guard let token = peek, token.isIdentifier || token.kind == .string else { return nil }
            index += 1
            return token.identifierValue(foldsUnquotedToLowercase: foldsToLowercase && token.kind == .word)
        }

        /// `name` or `schema.name`.
        mutating func tableName() -> TableName? {
            guard let first = identifier() else { return nil }
            if acceptPunctuation("."), let second = identifier() { return TableName(second, schema: first) }
            return TableName(first)
        }

        /// The rest of the statement split at top-level commas.
        mutating func actions() -> [[SQLToken]] {
            var actions: [[SQLToken]] = []
            var current: [SQLToken] = []
            var depth = 0
            while let token = next() {
                if token.isPunctuation("(") { depth += 1 }
                if token.isPunctuation(")") { depth -= 1 }
                if token.isPunctuation(","), depth == 0 {
                    actions.append(current)
                    current = []
                } else {
                    current.append(token)
                }
            }
            if !current.isEmpty { actions.append(current) }
            return actions
        }

        /// The tokens outside any parentheses (a CHECK's `NOT NULL` is not the column's).
        static func topLevel(_ tokens: [SQLToken]) -> [SQLToken] {
            var depth = 0
            return tokens.filter { token in
                if token.isPunctuation("(") { depth += 1; return false }
                if token.isPunctuation(")") { depth -= 1; return false }
                return depth == 0
            }
        }
    }
}
