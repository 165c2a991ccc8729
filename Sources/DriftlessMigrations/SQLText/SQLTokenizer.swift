/// A small, conservative SQL lexer, configured by a dialect's ``SQLSyntax``: the one place
/// that knows where comments, string literals, quoted identifiers and dollar-quoted bodies
/// begin and end.
///
/// Everything in the migrations that reads SQL text goes through it, so that `-- DROP COLUMN x`,
/// `'DROP COLUMN'` and `'a; b'` are never mistaken for statements, separators or
/// placeholders: the lint (``SQLStatementClassifier``), the SQLite table rebuild (stored
/// `CREATE` statements), offline rendering (``PlaceholderInliner``) and migrations outside a
/// transaction, whose scripts are sent one statement at a time. It does not parse SQL; it only
/// splits it into words, identifiers, literals and punctuation, and then into statements.
package struct SQLTokenizer: Sendable {
    /// The database's rules for comments, quotes and parameters.
    package let syntax: SQLSyntax

    package init(syntax: SQLSyntax) {
        self.syntax = syntax
    }

    /// The tokens of `sql`, without whitespace and comments. An unterminated literal, quoted
    /// identifier or comment runs to the end of the text (the database rejects it anyway).
    package func tokens(_ sql: String) -> [SQLToken] {
        let bytes = Array(sql.utf8)
        var tokens: [SQLToken] = []
        var index = 0
        func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
        func byte(_ offset: Int) -> UInt8? { offset < bytes.count ? bytes[offset] : nil }

        while index < bytes.count {
            let start = index
            let current = bytes[index]
            switch current {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), 0x0B, 0x0C:
                index += 1
            case UInt8(ascii: "-") where byte(index + 1) == UInt8(ascii: "-"):
                while index < bytes.count, !endsLineComment(bytes[index]) { index += 1 }
            case UInt8(ascii: "/") where byte(index + 1) == UInt8(ascii: "*"):
                index = endOfBlockComment(bytes, from: index)
            case UInt8(ascii: "'"):
                let (value, end) = quoted(bytes, from: index, quote: current, backslashEscapes: false)
                tokens.append(SQLToken(kind: .string, text: value, range: start..<end))
                index = end
            case UInt8(ascii: "\""):
                let (value, end) = quoted(bytes, from: index, quote: current, backslashEscapes: false)
                tokens.append(SQLToken(kind: .quotedIdentifier, text: value, range: start..<end))
                index = end
            case UInt8(ascii: "`") where syntax.bracketAndBacktickIdentifiers:
                let (value, end) = quoted(bytes, from: index, quote: current, backslashEscapes: false)
                tokens.append(SQLToken(kind: .quotedIdentifier, text: value, range: start..<end))
                index = end
            case UInt8(ascii: "[") where syntax.bracketAndBacktickIdentifiers:
                var end = index + 1
                while end < bytes.count, bytes[end] != UInt8(ascii: "]") { end += 1 }
                tokens.append(SQLToken(kind: .quotedIdentifier, text: text(index + 1..<end),
                                       range: start..<min(end + 1, bytes.count)))
                index = min(end + 1, bytes.count)
            case UInt8(ascii: "$") where syntax.dollarQuoting:
                if let next = byte(index + 1), Self.isDigit(next) {
                    var end = index + 1
                    while end < bytes.count, Self.isDigit(bytes[end]) { end += 1 }
                    tokens.append(SQLToken(kind: .parameter, text: text(start..<end), range: start..<end))
                    index = end
                } else if let (value, end) = dollarQuoted(bytes, from: index) {
                    tokens.append(SQLToken(kind: .string, text: value, range: start..<end))
                    index = end
                } else {
                    tokens.append(SQLToken(kind: .punctuation, text: "$", range: start..<index + 1))
                    index += 1
                }
            case UInt8(ascii: "?"):
                var end = index + 1
                while end < bytes.count, Self.isDigit(bytes[end]) { end += 1 }
                tokens.append(SQLToken(kind: .parameter, text: text(start..<end), range: start..<end))
                index = end
            case let prefix where syntax.namedParameters && Self.isNamedParameterPrefix(prefix)
                && byte(index + 1).map(Self.isWordByte) == true:
                var end = index + 1
                while end < bytes.count, Self.isWordByte(bytes[end]) { end += 1 }
                tokens.append(SQLToken(kind: .parameter, text: text(start..<end), range: start..<end))
                index = end
            default:
                if Self.isDigit(current) || (current == UInt8(ascii: ".") && byte(index + 1).map(Self.isDigit) == true) {
                    var end = index + 1
                    while end < bytes.count {
                        let byte = bytes[end]
                        if Self.isWordByte(byte) || byte == UInt8(ascii: ".") {
                            end += 1
                        } else if (byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")),
                                  bytes[end - 1] == UInt8(ascii: "e") || bytes[end - 1] == UInt8(ascii: "E") {
                            end += 1
                        } else {
                            break
                        }
                    }
                    tokens.append(SQLToken(kind: .number, text: text(start..<end), range: start..<end))
                    index = end
                } else if Self.isWordByte(current) {
                    var end = index + 1
                    while end < bytes.count, Self.isWordByte(bytes[end]) || (syntax.dollarQuoting && bytes[end] == UInt8(ascii: "$")) {
                        end += 1
                    }
                    let word = text(start..<end)
                    // PostgreSQL's escape strings: E'it\'s'.
                    if syntax.escapeStrings, end - start == 1, current | 0x20 == UInt8(ascii: "e"), byte(end) == UInt8(ascii: "'") {
                        let (value, stringEnd) = quoted(bytes, from: end, quote: UInt8(ascii: "'"), backslashEscapes: true)
                        tokens.append(SQLToken(kind: .string, text: value, range: start..<stringEnd))
                        index = stringEnd
                    } else {
                        tokens.append(SQLToken(kind: .word, text: word, range: start..<end))
                        index = end
                    }
                } else {
                    tokens.append(SQLToken(kind: .punctuation, text: text(start..<index + 1), range: start..<index + 1))
                    index += 1
                }
            }
        }
        return tokens
    }

    /// The tokens of `sql` split into statements at top-level semicolons. The bodies of
    /// `CREATE TRIGGER ... BEGIN ... END` (SQLite) and `BEGIN ATOMIC ... END` (PostgreSQL)
    /// are kept whole; dollar-quoted function bodies are single string tokens already.
    package func statements(_ sql: String) -> [[SQLToken]] {
        var statements: [[SQLToken]] = []
        var current: [SQLToken] = []
        var blockDepth = 0
        // A semicolon inside parentheses never ends a statement (`CREATE RULE ... DO ALSO (a; b)`).
        var parenthesisDepth = 0
        for token in tokens(sql) {
            if token.isPunctuation("(") { parenthesisDepth += 1 }
            if token.isPunctuation(")") { parenthesisDepth = max(0, parenthesisDepth - 1) }
            if token.isPunctuation(";") && blockDepth == 0 && parenthesisDepth == 0 {
                if !current.isEmpty { statements.append(current) }
                current = []
                continue
            }
            if token.kind == .word, current.first?.isKeyword("CREATE") == true {
                switch token.keyword {
                case "BEGIN", "CASE": blockDepth += 1
                case "END": blockDepth = max(0, blockDepth - 1)
                default: break
                }
            }
            current.append(token)
        }
        if !current.isEmpty { statements.append(current) }
        return statements
    }

    /// The source text of each statement of `sql` (see ``statements(_:)``), from its first
    /// token to its last: comments inside a statement are kept, comments between statements
    /// and the separating semicolons are not.
    package func statementTexts(_ sql: String) -> [String] {
        let bytes = Array(sql.utf8)
        return statements(sql).map { Self.source(of: $0, in: bytes) }
    }

    /// Each statement's source text (as ``statementTexts(_:)``) and the line it starts on,
    /// counted from 1 at the start of `sql`: where a failing statement is reported.
    package func statementTextsWithLines(_ sql: String) -> [(text: String, line: Int)] {
        let bytes = Array(sql.utf8)
        var line = 1
        var counted = 0
        return statements(sql).map { statement in
            let start = statement.first!.range.lowerBound
            for index in counted..<start where bytes[index] == UInt8(ascii: "\n") { line += 1 }
            counted = start
            return (Self.source(of: statement, in: bytes), line)
        }
    }

    /// The source text a run of tokens covers.
    package static func source(of tokens: [SQLToken], in bytes: [UInt8]) -> String {
        guard let first = tokens.first, let last = tokens.last else { return "" }
        return String(decoding: bytes[first.range.lowerBound..<last.range.upperBound], as: UTF8.self)
    }

    /// Whether a byte ends a `--` comment.
    private func endsLineComment(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\n") || (syntax.lineCommentsEndAtCarriageReturn && byte == UInt8(ascii: "\r"))
    }

    private static func isNamedParameterPrefix(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ":") || byte == UInt8(ascii: "@") || byte == UInt8(ascii: "$")
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == UInt8(ascii: "_") || byte >= 0x80
    }

    private func endOfBlockComment(_ bytes: [UInt8], from start: Int) -> Int {
        var depth = 0
        var index = start
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "/"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "*") {
                if depth == 0 || syntax.blockCommentsNest { depth += 1 }
                index += 2
            } else if bytes[index] == UInt8(ascii: "*"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "/") {
                depth -= 1
                index += 2
                if depth == 0 { return index }
            } else {
                index += 1
            }
        }
        return bytes.count
    }

    /// A literal or identifier between `quote`s, a doubled quote standing for one.
    private func quoted(_ bytes: [UInt8], from start: Int, quote: UInt8, backslashEscapes: Bool) -> (String, Int) {
        var value: [UInt8] = []
        var index = start + 1
        while index < bytes.count {
            let byte = bytes[index]
            if backslashEscapes, byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
                value.append(bytes[index + 1])
                index += 2
            } else if byte == quote {
                if index + 1 < bytes.count, bytes[index + 1] == quote {
                    value.append(quote)
                    index += 2
                } else {
                    return (String(decoding: value, as: UTF8.self), index + 1)
                }
            } else {
                value.append(byte)
                index += 1
            }
        }
        return (String(decoding: value, as: UTF8.self), bytes.count)
    }

    /// A PostgreSQL dollar-quoted string (`$$...$$`, `$body$...$body$`), or nil when the `$`
    /// does not open one.
    private func dollarQuoted(_ bytes: [UInt8], from start: Int) -> (String, Int)? {
        var tagEnd = start + 1
        while tagEnd < bytes.count, bytes[tagEnd] != UInt8(ascii: "$") {
            let byte = bytes[tagEnd]
            let allowed = Self.isWordByte(byte) && !(tagEnd == start + 1 && Self.isDigit(byte))
            if !allowed { return nil }
            tagEnd += 1
        }
        guard tagEnd < bytes.count else { return nil }
        let tag = Array(bytes[start...tagEnd])
        var index = tagEnd + 1
        while index + tag.count <= bytes.count {
            if bytes[index] == UInt8(ascii: "$"), Array(bytes[index..<index + tag.count]) == tag {
                return (String(decoding: bytes[tagEnd + 1..<index], as: UTF8.self), index + tag.count)
            }
            index += 1
        }
        return (String(decoding: bytes[(tagEnd + 1)...], as: UTF8.self), bytes.count)
    }
}
