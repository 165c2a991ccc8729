/// One lexical token of SQL text, as ``SQLTokenizer`` reads it.
///
/// Tokens keep their byte range in the source so that callers can copy the original text of
/// a clause (a `CHECK` expression, a column definition) without re-rendering it.
package struct SQLToken: Sendable, Hashable {
    package enum Kind: Sendable, Hashable {
        /// A keyword or an unquoted identifier (`SELECT`, `users`, `lock_timeout`).
        case word
        /// A quoted identifier: `"name"`, and on SQLite also `` `name` `` and `[name]`.
        case quotedIdentifier
        /// A string literal (`'text'`, `E'text'`, `$tag$text$tag$`).
        case string
        case number
        /// A bound parameter: `?`, `?3`, `$1`, and on SQLite `:name`, `@name`, `$name`.
        case parameter
        /// Any other single character: `(`, `)`, `,`, `;`, `.`, operators.
        case punctuation
    }

    package var kind: Kind
    /// The token's value: a word as written, an identifier or string without its quotes and
    /// with its escapes undone, punctuation as the character.
    package var text: String
    /// The token's bytes in the UTF-8 source.
    package var range: Range<Int>

    /// The word in upper case, for keyword comparisons; empty for other kinds.
    package var keyword: String { kind == .word ? text.uppercased() : "" }

    /// Whether the token is the keyword `word` (given in upper case).
    package func isKeyword(_ word: String) -> Bool {
        kind == .word && text.count == word.count && text.uppercased() == word
    }

    /// Whether the token is the punctuation character `character`.
    package func isPunctuation(_ character: Character) -> Bool {
        kind == .punctuation && text.first == character
    }

    /// Whether the token can name something (a word or a quoted identifier).
    package var isIdentifier: Bool { kind == .word || kind == .quotedIdentifier }

    /// The name an identifier token refers to, as the database resolves it: PostgreSQL folds
    /// unquoted names to lower case; SQLite compares all names case-insensitively, so the
    /// name is returned as written and callers compare it case-insensitively there.
    package func identifierValue(foldsUnquotedToLowercase: Bool) -> String {
        kind == .word && foldsUnquotedToLowercase ? text.lowercased() : text
    }
}
