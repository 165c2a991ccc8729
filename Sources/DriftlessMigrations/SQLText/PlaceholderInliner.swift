import Driftless

/// Writes a statement's bound values into its text as literals, for offline SQL: a script
/// piped into `sqlite3` or `psql` cannot bind values.
///
/// Placeholders are found by ``SQLTokenizer`` with the dialect's syntax, so a `?` or `$1`
/// inside a string literal, quoted identifier, comment or dollar-quoted body is left alone.
/// `?` takes the next value, `?N` and `$N` the N-th (a bare `?` after `?N` is N + 1, as in
/// SQLite). Each value becomes the dialect's ``MigrationDialect/offlineLiteral(_:)``.
enum PlaceholderInliner {
    /// The statement with its placeholders replaced by literals.
    ///
    /// - Throws: ``MigrationError/Code/invalidArguments`` for a placeholder without a value,
    ///   a named parameter (`:name`), which positional arguments cannot fill, or a value the
    ///   dialect has no exact literal for (``SQLDialect/literalProblem(_:_:)``: NaN on SQLite,
    ///   text holding NUL on PostgreSQL).
    static func inline(_ sql: String, arguments: [DatabaseValue], dialect: some MigrationDialect) throws(MigrationError) -> String {
        guard !arguments.isEmpty else { return sql }
        var bytes = Array(sql.utf8)
        var next = 0
        var replacements: [(Range<Int>, String)] = []
        for token in SQLTokenizer(syntax: dialect.syntax).tokens(sql) where token.kind == .parameter {
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
            if let problem = dialect.literalProblem(value, value.naturalColumnType) {
                throw .invalidArguments("the value of parameter \(token.text) cannot be written into SQL: \(problem)")
            }
            replacements.append((token.range, dialect.offlineLiteral(value)))
        }
        for (range, literal) in replacements.reversed() {
            bytes.replaceSubrange(range, with: Array(literal.utf8))
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
