import Foundation

/// Splits a SQL script into statements at top-level semicolons.
///
/// Used for SQL-file migrations that opt out of transactions: PostgreSQL runs a
/// multi-statement string as one implicit transaction, where `CREATE INDEX CONCURRENTLY`
/// fails, so each statement must be sent on its own. Semicolons inside string literals,
/// quoted identifiers, comments, dollar-quoted bodies and `CREATE TRIGGER ... BEGIN ... END`
/// blocks do not split.
enum SQLStatementSplitter {
    static func split(_ script: String) -> [String] {
        let characters = Array(script)
        var statements: [String] = []
        var current = ""
        var index = 0
        var word = ""
        var blockDepth = 0  // BEGIN ... END of a trigger body
        var sawCreateTrigger = false
        func flushWord() {
            let upper = word.uppercased()
            if upper == "TRIGGER" { sawCreateTrigger = true }
            if sawCreateTrigger && upper == "BEGIN" { blockDepth += 1 }
            if blockDepth > 0 && upper == "CASE" { blockDepth += 1 }
            if blockDepth > 0 && upper == "END" { blockDepth -= 1 }
            word = ""
        }
        func finishStatement() {
            let trimmed = current.trimmingCharacters(in: .whitespacesAndNewlines)
            if !trimmed.isEmpty && !isOnlyComments(trimmed) { statements.append(trimmed) }
            current = ""
            sawCreateTrigger = false
            blockDepth = 0
        }
        while index < characters.count {
            let character = characters[index]
            let next: Character? = index + 1 < characters.count ? characters[index + 1] : nil
            if character.isLetter || character == "_" {
                word.append(character)
                current.append(character)
                index += 1
                continue
            }
            flushWord()
            switch character {
            case "'", "\"", "`":
                current.append(character)
                index += 1
                while index < characters.count {
                    current.append(characters[index])
                    index += 1
                    if characters[index - 1] == character {
                        if index < characters.count, characters[index] == character {
                            current.append(characters[index])
                            index += 1
                            continue
                        }
                        break
                    }
                }
            case "-" where next == "-":
                while index < characters.count, characters[index] != "\n" { current.append(characters[index]); index += 1 }
            case "/" where next == "*":
                current += "/*"
                index += 2
                while index < characters.count, !(characters[index] == "*" && index + 1 < characters.count && characters[index + 1] == "/") {
                    current.append(characters[index])
                    index += 1
                }
                if index < characters.count { current += "*/"; index += 2 }
            case "$":
                var end = index + 1
                while end < characters.count, characters[end].isLetter || characters[end] == "_" { end += 1 }
                if end < characters.count, characters[end] == "$" {
                    let tag = String(characters[index...end])
                    current += tag
                    index = end + 1
                    let rest = String(characters[index...])
                    if let close = rest.range(of: tag) {
                        current += rest[..<close.upperBound]
                        index += rest.distance(from: rest.startIndex, to: close.upperBound)
                    } else {
                        current += rest
                        index = characters.count
                    }
                } else {
                    current.append(character)
                    index += 1
                }
            case ";" where blockDepth == 0:
                current.append(character)
                index += 1
                finishStatement()
            default:
                current.append(character)
                index += 1
            }
        }
        flushWord()
        finishStatement()
        return statements
    }

    /// Whether a chunk holds nothing but comments.
    private static func isOnlyComments(_ text: String) -> Bool {
        var rest = Substring(text)
        while let open = rest.range(of: "/*") {
            let before = rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "*/") else { return false }
            rest = before + rest[close.upperBound...]
        }
        return rest.split(separator: "\n").allSatisfy { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty || trimmed.hasPrefix("--")
        }
    }
}
