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
            let columns = Self.definedColumns(statement, foldsToLowercase: foldsToLowercase)
            let names = statement.filter(\.isIdentifier).map(\.text)
            return classify(statement).map { LintedChange(kind: $0, summary: String(summary), columns: columns, names: names) }
        }
    }

    /// The changes one statement makes.
    func classify(_ tokens: [SQLToken]) -> [LintedChange.Kind] {
        var cursor = Cursor(tokens: tokens, foldsToLowercase: foldsToLowercase)
        let verb = cursor.next()?.keyword ?? ""
        let kinds = classify(verb, &cursor, tokens)
        // TRUNCATE's CASCADE is part of its own change (truncate-cascade).
        guard ["DROP", "ALTER"].contains(verb), Self.cascades(tokens) else { return kinds }
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
            guard cursor.peek?.isIdentifier == true, let setting = cursor.peek?.text.lowercased(),
                  setting == "lock_timeout" || setting == "statement_timeout" else { return [.data] }
            cursor.advance()
            _ = cursor.accept("TO") || cursor.acceptPunctuation("=")
            let isEffective = Self.isEffectiveTimeout(cursor.peek)
            return [setting == "lock_timeout" ? .setLockTimeout(isEffective: isEffective) : .setStatementTimeout(isEffective: isEffective)]
        case "RESET":
            let target = cursor.peek?.text.lowercased()
            if target == "all" { return [.setLockTimeout(isEffective: false), .setStatementTimeout(isEffective: false)] }
            if target == "statement_timeout" { return [.setStatementTimeout(isEffective: false)] }
            return target == "lock_timeout" ? [.setLockTimeout(isEffective: false)] : [.data]
        case "BEGIN", "COMMIT", "END", "ROLLBACK", "ABORT":
            // Savepoints (ROLLBACK TO) keep the runner's transaction.
            return cursor.peek?.isKeyword("TO") == true ? [.data] : [.transactionControl(verb)]
        case "START" where cursor.peek?.isKeyword("TRANSACTION") == true:
            return [.transactionControl("START TRANSACTION")]
        case "UPDATE":
            _ = cursor.accept("ONLY")
            return [.backfill(cursor.tableName(), isBounded: Self.isBounded(tokens))]
        case "DELETE":
            _ = cursor.accept("FROM")
            _ = cursor.accept("ONLY")
            return [.backfill(cursor.tableName(), isBounded: Self.isBounded(tokens))]
        case "TRUNCATE":
            _ = cursor.accept("TABLE")
            var tables: [TableName] = []
            repeat {
                _ = cursor.accept("ONLY")
                guard let table = cursor.tableName() else { break }
                tables.append(table)
                _ = cursor.acceptPunctuation("*")
            } while cursor.acceptPunctuation(",")
            return [.truncate(tables, cascade: Self.cascades(tokens))]
        case "REINDEX":
            return [.reindex(concurrently: tokens.contains { $0.isKeyword("CONCURRENTLY") })]
        case "SELECT" where tokens.contains(where: { $0.kind == .word && $0.text.lowercased() == "set_config" }):
            guard let index = tokens.firstIndex(where: { $0.kind == .string && $0.text.lowercased() == "lock_timeout" }) else {
                return [.data]
            }
            let value = tokens[(index + 1)...].first { $0.kind == .string || $0.kind == .number }
            return [.setLockTimeout(isEffective: Self.isEffectiveTimeout(value))]
        case "LOCK", "CLUSTER", "REFRESH":
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

    /// Whether an UPDATE or DELETE is bounded to a batch: a LIMIT, a BETWEEN, or a
    /// comparison (`=`, `<`, `>`, `IN`) in its WHERE clause (`IS NULL` alone is not a bound).
    static func isBounded(_ tokens: [SQLToken]) -> Bool {
        guard let whereIndex = tokens.firstIndex(where: { $0.isKeyword("WHERE") }) else {
            return tokens.contains { $0.isKeyword("LIMIT") }
        }
        return tokens[whereIndex...].contains { token in
            token.isKeyword("LIMIT") || token.isKeyword("BETWEEN") || token.isKeyword("IN")
                || token.isPunctuation("=") || token.isPunctuation("<") || token.isPunctuation(">")
        }
    }

    /// The columns a CREATE TABLE or ALTER TABLE ... ADD COLUMN statement defines, for the
    /// rules about types, keys and defaults.
    static func definedColumns(_ tokens: [SQLToken], foldsToLowercase: Bool) -> [LintedColumn] {
        var cursor = Cursor(tokens: tokens, foldsToLowercase: foldsToLowercase)
        switch cursor.next()?.keyword {
        case "CREATE":
            guard let open = tokens.firstIndex(where: { $0.isPunctuation("(") }),
                  tokens[..<open].contains(where: { $0.isKeyword("TABLE") }) else { return [] }
            var depth = 0
            let body = tokens[(open + 1)...].prefix { token in
                if token.isPunctuation("(") { depth += 1 }
                if token.isPunctuation(")") { depth -= 1 }
                return depth >= 0
            }
            var inner = Cursor(tokens: Array(body), foldsToLowercase: foldsToLowercase)
            let definitions = inner.actions()
            var keyColumns: Set<String> = []
            for definition in definitions where definition.first?.isKeyword("PRIMARY") == true
                || (definition.first?.isKeyword("CONSTRAINT") == true && definition.contains { $0.isKeyword("PRIMARY") }) {
                keyColumns.formUnion(definition.filter(\.isIdentifier).map { $0.text.lowercased() })
            }
            return definitions.compactMap { column($0, foldsToLowercase: foldsToLowercase, keyColumns: keyColumns) }
        case "ALTER":
            guard cursor.accept("TABLE") else { return [] }
            _ = cursor.accept("IF") && cursor.accept("EXISTS")
            _ = cursor.accept("ONLY")
            guard cursor.tableName() != nil else { return [] }
            _ = cursor.acceptPunctuation("*")
            return cursor.actions().compactMap { action in
                guard action.first?.isKeyword("ADD") == true else { return nil }
                var rest = Array(action.dropFirst())
                if rest.first?.isKeyword("COLUMN") == true { rest.removeFirst() }
                if rest.count > 3, rest[0].isKeyword("IF"), rest[1].isKeyword("NOT"), rest[2].isKeyword("EXISTS") { rest.removeFirst(3) }
                return column(rest, foldsToLowercase: foldsToLowercase, keyColumns: [])
            }
        default:
            return []
        }
    }

    /// One column definition (`name type [constraints]`); nil for a table constraint.
    private static func column(_ tokens: [SQLToken], foldsToLowercase: Bool, keyColumns: Set<String>) -> LintedColumn? {
        let constraintWords: Set = ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN", "EXCLUDE", "LIKE"]
        guard let first = tokens.first, first.isIdentifier, !constraintWords.contains(first.keyword) else { return nil }
        let clauseWords: Set = ["NOT", "NULL", "DEFAULT", "PRIMARY", "REFERENCES", "UNIQUE", "CHECK", "CONSTRAINT",
                                "GENERATED", "COLLATE"]
        let rest = tokens.dropFirst()
        let typeTokens = rest.prefix { !clauseWords.contains($0.keyword) }
        let type = typeTokens.map { $0.kind == .word ? $0.text.uppercased() : $0.text }.joined(separator: " ")
        let topLevel = Cursor.topLevel(Array(rest))
        let isKey = zip(topLevel, topLevel.dropFirst()).contains { $0.isKeyword("PRIMARY") && $1.isKeyword("KEY") }
        var defaultExpression: String?
        if let index = rest.firstIndex(where: { $0.isKeyword("DEFAULT") }) {
            var depth = 0
            let expression = rest[(index + 1)...].prefix { token in
                if token.isPunctuation("(") { depth += 1 }
                if token.isPunctuation(")") { depth -= 1 }
                return depth > 0 || !clauseWords.contains(token.keyword)
            }
            defaultExpression = expression.map { $0.kind == .word ? $0.text.uppercased() : $0.text }.joined(separator: " ")
        }
        let name = first.identifierValue(foldsUnquotedToLowercase: foldsToLowercase && first.kind == .word)
        return LintedColumn(name: name, type: type, isPrimaryKey: isKey || keyColumns.contains(first.text.lowercased()),
                            defaultExpression: defaultExpression,
                            isIdentity: rest.contains { $0.isKeyword("IDENTITY") })
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
        if cursor.accept("SCHEMA") { return [.dropSchema(Self.firstName(&cursor))] }
        if cursor.accept("TYPE") || cursor.accept("DOMAIN") { return [.dropType(Self.firstName(&cursor))] }
        if cursor.accept("DATABASE") { return [.dropDatabase(Self.firstName(&cursor))] }
        return [.data]  // without CASCADE the database refuses while anything depends on it
    }

    /// The first name after an optional IF EXISTS.
    private static func firstName(_ cursor: inout Cursor) -> String {
        _ = cursor.accept("IF") && cursor.accept("EXISTS")
        return cursor.identifier() ?? ""
    }

    private func classifyAlterTable(_ cursor: inout Cursor) -> [LintedChange.Kind] {
        _ = cursor.accept("IF") && cursor.accept("EXISTS")
        _ = cursor.accept("ONLY")
        guard let table = cursor.tableName() else { return [.otherLocking(nil)] }
        _ = cursor.acceptPunctuation("*")
        return cursor.actions().flatMap { action in classifyAction(action, table: table) }
    }

    /// One comma-separated action of `ALTER TABLE`.
    private func classifyAction(_ tokens: [SQLToken], table: TableName) -> [LintedChange.Kind] {
        var cursor = Cursor(tokens: tokens, foldsToLowercase: foldsToLowercase)
        switch cursor.next()?.keyword {
        case "ADD":
            guard let next = cursor.peek, ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN", "EXCLUDE"].contains(next.keyword) else {
                break
            }
            let kind: LintedConstraint.Kind = if tokens.contains(where: { $0.isKeyword("PRIMARY") }) { .primaryKey }
                else if tokens.contains(where: { $0.isKeyword("FOREIGN") }) { .foreignKey }
                else if tokens.contains(where: { $0.isKeyword("UNIQUE") }) { .unique }
                else if tokens.contains(where: { $0.isKeyword("CHECK") }) { .check }
                else if tokens.contains(where: { $0.isKeyword("EXCLUDE") }) { .exclusion }
                else { .other }
            let notValid = zip(tokens, tokens.dropFirst()).contains { $0.isKeyword("NOT") && $1.isKeyword("VALID") }
            let usingIndex = zip(tokens, tokens.dropFirst()).contains { $0.isKeyword("USING") && $1.isKeyword("INDEX") }
            return [.addConstraint(table, LintedConstraint(kind: kind, isNotValid: notValid, usesExistingIndex: usingIndex))]
        case "VALIDATE":
            return [.validateConstraint(table)]
        case "ALTER":
            let topLevel = tokens
            if zip(zip(topLevel, topLevel.dropFirst()), topLevel.dropFirst(2)).contains(where: {
                $0.0.isKeyword("SET") && $0.1.isKeyword("NOT") && $1.isKeyword("NULL")
            }) {
                _ = cursor.accept("COLUMN")
                if let column = cursor.identifier() {
                    return [.alterColumn(table, column: column, changesType: false), .setNotNull(table, column: column)]
                }
            }
        default:
            break
        }
        return [classifySimpleAction(tokens, table: table)]
    }

    private func classifySimpleAction(_ tokens: [SQLToken], table: TableName) -> LintedChange.Kind {
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
