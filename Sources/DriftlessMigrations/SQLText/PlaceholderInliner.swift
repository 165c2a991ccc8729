import Driftless

/// Writes a statement's bound values into its text as literals, for offline SQL: a script
/// piped into `sqlite3` or `psql` cannot bind values.
///
/// Placeholders are found by ``SQLTokenizer``, so a `?` or `$1` inside a string literal,
/// quoted identifier, comment or dollar-quoted body is left alone. `?` takes the next value,
/// `?N` and `$N` the N-th (a bare `?` after `?N` is N + 1, as in SQLite).
///
/// PostgreSQL values become untyped quoted literals (`'42'`): the online run sends every
/// value as a text-format parameter of unspecified type, which the server types from context,
/// and an untyped literal is typed exactly the same way (a numeric literal `42` would not be:
/// `text_column = 42` is an error). SQLite values become its plain literals (`42`, `'it''s'`,
/// `X'00FF'`), which store what binding stores.
enum PlaceholderInliner {
    /// The statement with its placeholders replaced by literals.
    ///
    /// - Throws: ``MigrationError/invalidArguments(_:)`` for a placeholder without a value, or
    ///   a named parameter (`:name`), which positional arguments cannot fill.
    static func inline(_ sql: String, arguments: [DatabaseValue], dialect: SQLDialect) throws(MigrationError) -> String {
        guard !arguments.isEmpty else { return sql }
        let isPostgres = dialect.name == "postgres"
        var bytes = Array(sql.utf8)
        var next = 0
        var replacements: [(Range<Int>, String)] = []
        for token in SQLTokenizer(dialectName: dialect.name).tokens(sql) where token.kind == .parameter {
            let digits = token.text.dropFirst()
            let position: Int
            if token.text == "?" {
                position = next
                next += 1
            } else if token.text.first != ":" && token.text.first != "@", let number = Int(digits), number >= 1 {
                position = number - 1
                next = max(next, number)
            } else {
                throw .invalidArguments("named parameter \(token.text) cannot be filled from positional arguments")
            }
            guard position < arguments.count else {
                throw .invalidArguments("parameter \(token.text) has no value (\(arguments.count) given) in \(sql)")
            }
            let value = arguments[position]
            // The dialect's own literal, so that what the script stores is what binding stores.
            let type = DDLRenderer.columnType(of: value)
            if let problem = dialect.literalProblem(value, type) {
                throw .invalidArguments("the value of parameter \(token.text) cannot be written into SQL: \(problem)")
            }
            replacements.append((token.range, isPostgres ? postgresLiteral(value) : dialect.literal(value, type)))
        }
        for (range, literal) in replacements.reversed() {
            bytes.replaceSubrange(range, with: Array(literal.utf8))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The value as PostgreSQL's text input, quoted: what a text-format parameter carries.
    static func postgresLiteral(_ value: DatabaseValue) -> String {
        switch value {
        case .null: return "NULL"
        case .integer(let integer): return "'\(integer)'"
        case .real(let real):
            if real.isNaN { return "'NaN'" }
            if real.isInfinite { return real > 0 ? "'Infinity'" : "'-Infinity'" }
            return "'\(real)'"
        case .text: return SQLDialect.standardLiteral(value)
        case .blob(let bytes):
            let digits = Array("0123456789abcdef")
            return "'\\x" + String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] }) + "'"
        }
    }
}
