import Driftless

/// A live column's default, as reflection spells it (`'free'`, `'free'::text`, `(0)`,
/// `now()`), read as a constant when it is one, so that the diff can compare it with a
/// record's declared default.
enum LiveDefault: Equatable {
    /// A literal: a string's contents, a number as written, or NULL.
    case string(String)
    case number(String)
    case null
    /// Anything else (`now()`, `nextval(...)`, `CURRENT_TIMESTAMP`, arithmetic): not compared.
    case expression

    /// Reads a default: an optional sign and a literal, in any parentheses, followed by any
    /// `::type` casts (PostgreSQL writes `'free'::text`, `'-1'::integer`).
    init(_ sql: String, syntax: SQLSyntax) {
        var tokens = SQLTokenizer(syntax: syntax).tokens(sql)[...]
        // Casts: `::` and a type name of one or more words, with an optional `(n)`.
        while let cast = tokens.lastIndex(where: { $0.isPunctuation(":") }), cast > tokens.startIndex,
              tokens[tokens.index(before: cast)].isPunctuation(":"),
              tokens[tokens.index(after: cast)...].allSatisfy({ $0.kind == .word || $0.kind == .number || $0.isPunctuation("(")
                  || $0.isPunctuation(")") || $0.kind == .quotedIdentifier || $0.isPunctuation(".") }) {
            tokens = tokens[..<tokens.index(before: cast)]
        }
        while tokens.first?.isPunctuation("(") == true, tokens.last?.isPunctuation(")") == true {
            tokens = tokens.dropFirst().dropLast()
        }
        var negative = false
        if tokens.count == 2, tokens.first?.isPunctuation("-") == true || tokens.first?.isPunctuation("+") == true {
            negative = tokens.first?.isPunctuation("-") == true
            tokens = tokens.dropFirst()
        }
        guard tokens.count == 1, let token = tokens.first else { self = .expression; return }
        switch token.kind {
        case .string: self = negative ? .expression : .string(token.text)
        case .number: self = .number((negative ? "-" : "") + token.text)
        case .word where token.isKeyword("NULL") && !negative: self = .null
        case .word where (token.isKeyword("TRUE") || token.isKeyword("FALSE")) && !negative:
            self = .number(token.isKeyword("TRUE") ? "1" : "0")
        default: self = .expression
        }
    }

    /// Whether the default stores `value` in a column of `type`; nil when that cannot be
    /// told from the text (an expression, a date's spelling).
    func matches(_ value: DatabaseValue, type: ColumnType) -> Bool? {
        switch self {
        case .expression:
            return nil
        case .null:
            return value.isNull
        case .string(let text), .number(let text):
            switch value {
            case .null: return false
            case .text(let declared):
                if type == .timestamp || type == .uuid { return text == declared ? true : nil }
                return text == declared
            case .integer(let declared):
                if type == .boolean, case .string(let word) = self {
                    let lowered = word.lowercased()
                    if ["t", "true", "yes", "on", "1"].contains(lowered) { return declared == 1 }
                    if ["f", "false", "no", "off", "0"].contains(lowered) { return declared == 0 }
                }
                return Int64(text) == declared
            case .real(let declared):
                return Double(text).map { $0 == declared }
            case .blob:
                return nil
            }
        }
    }
}
