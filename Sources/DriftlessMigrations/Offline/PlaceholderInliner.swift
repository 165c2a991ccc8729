import Driftless

/// Replaces the bound parameters of a statement with literals, for offline SQL (a script
/// piped into `sqlite3` or `psql` cannot bind values).
///
/// Placeholders inside string literals, quoted identifiers, comments and PostgreSQL
/// dollar-quoted bodies are left alone. PostgreSQL values become untyped quoted literals
/// (`'42'`), which the server types from context exactly as it types a text-format
/// parameter, so the script stores what the online run would.
enum PlaceholderInliner {
    static func inline(_ sql: String, arguments: [DatabaseValue], dialect: SQLDialect) -> String {
        guard !arguments.isEmpty else { return sql }
        let postgres = dialect.placeholder(1) == "$1"
        let characters = Array(sql)
        var output = ""
        var index = 0
        var nextSequential = 0
        func literal(_ position: Int) -> String {
            guard position >= 0, position < arguments.count else { return "NULL" }
            return postgres ? postgresLiteral(arguments[position]) : SQLDialect.standardLiteral(arguments[position])
        }
        func digits(from start: Int) -> (Int?, Int) {
            var end = start
            while end < characters.count, characters[end].isASCII, characters[end].isNumber { end += 1 }
            return (end > start ? Int(String(characters[start..<end])) : nil, end)
        }
        /// Copies up to and including the closing `terminator`.
        func copyQuoted(_ terminator: Character) {
            output.append(characters[index])
            index += 1
            while index < characters.count {
                output.append(characters[index])
                index += 1
                if characters[index - 1] == terminator {
                    // A doubled terminator is an escaped one: keep going.
                    if index < characters.count, characters[index] == terminator {
                        output.append(characters[index])
                        index += 1
                        continue
                    }
                    return
                }
            }
        }
        while index < characters.count {
            let character = characters[index]
            let next: Character? = index + 1 < characters.count ? characters[index + 1] : nil
            switch character {
            case "'", "\"", "`":
                copyQuoted(character)
            case "-" where next == "-":
                while index < characters.count, characters[index] != "\n" { output.append(characters[index]); index += 1 }
            case "/" where next == "*":
                output += "/*"
                index += 2
                while index < characters.count, !(characters[index] == "*" && index + 1 < characters.count && characters[index + 1] == "/") {
                    output.append(characters[index])
                    index += 1
                }
                if index < characters.count { output += "*/"; index += 2 }
            case "?" where !postgres:
                let (number, end) = digits(from: index + 1)
                if let number {
                    output += literal(number - 1)
                    nextSequential = number
                } else {
                    output += literal(nextSequential)
                    nextSequential += 1
                }
                index = end
            case "$" where postgres:
                let (number, end) = digits(from: index + 1)
                if let number {
                    output += literal(number - 1)
                    index = end
                } else if let tagEnd = dollarTagEnd(characters, from: index) {
                    // $tag$ ... $tag$: copy verbatim.
                    let tag = String(characters[index...tagEnd])
                    output += tag
                    index = tagEnd + 1
                    let rest = String(characters[index...])
                    if let close = rest.range(of: tag) {
                        output += rest[..<close.upperBound]
                        index += rest.distance(from: rest.startIndex, to: close.upperBound)
                    } else {
                        output += rest
                        index = characters.count
                    }
                } else {
                    output.append(character)
                    index += 1
                }
            default:
                output.append(character)
                index += 1
            }
        }
        return output
    }

    /// The index of the `$` closing a dollar-quote tag that opens at `start`, if one does.
    private static func dollarTagEnd(_ characters: [Character], from start: Int) -> Int? {
        var index = start + 1
        while index < characters.count {
            let character = characters[index]
            if character == "$" { return index }
            guard character.isLetter || character == "_" || (character.isNumber && index > start + 1) else { return nil }
            index += 1
        }
        return nil
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
