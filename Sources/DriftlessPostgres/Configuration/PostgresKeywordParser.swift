import CLibPQ

/// Reads libpq keyword strings (`host=localhost dbname='my db'`) with libpq's own parser,
/// `PQconninfoParse`, so that a string means to Driftless exactly what it means to `psql`.
enum PostgresKeywordParser {
    /// The parameters this libpq knows (`PQconndefaults`), so that a typo in a URL's query is
    /// an error naming the parameter rather than a failed connection.
    static let knownKeywords: Set<String> = {
        guard let defaults = PQconndefaults() else { return [] }
        defer { PQconninfoFree(defaults) }
        var keywords: Set<String> = []
        var option = defaults
        while let keyword = option.pointee.keyword {
            keywords.insert(String(cString: keyword))
            option += 1
        }
        return keywords
    }()

    static func isKnownKeyword(_ keyword: String) -> Bool { knownKeywords.contains(keyword) }

    static func parameters(of text: String) throws(PostgresConfigurationError) -> [(keyword: String, value: String)] {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            return try PostgresURLParser.parameters(of: text)
        }
        if text.utf8.contains(0) {
            throw PostgresConfigurationError(.nulCharacter, detail: "the keyword string contains a NUL character")
        }
        var message: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(text, &message) else {
            // libpq's message quotes the text at fault, which may be part of a password.
            if let message { PQfreemem(message) }
            throw malformed(text)
        }
        defer { PQconninfoFree(options) }
        var result: [(keyword: String, value: String)] = []
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val { result.append((String(cString: keyword), String(cString: value))) }
            option += 1
        }
        return result
    }

    /// The error for a string libpq cannot parse: what the form is, and, when a word before
    /// an `=` is close to a keyword libpq knows, that keyword (never the word itself).
    private static func malformed(_ text: String) -> PostgresConfigurationError {
        let words = text.split(whereSeparator: \.isWhitespace).compactMap { word -> String? in
            guard let equals = word.firstIndex(of: "=") else { return nil }
            return String(word[..<equals])
        }
        let suggestion = words.lazy.filter { !isKnownKeyword($0) }.compactMap(nearestKeyword).first
        return PostgresConfigurationError(
            .malformedKeywords,
            detail: "libpq cannot parse it: expected keyword=value pairs separated by spaces, with keywords libpq knows "
                + "and values holding spaces or quotes in single quotes (\\' and \\\\ inside)"
                + (suggestion.map { " (did you mean \"\($0)\"?)" } ?? ""))
    }

    /// The error for a parameter libpq does not know, suggesting the nearest one it does.
    static func unknownKeyword(component: String, nearest word: String) -> PostgresConfigurationError {
        PostgresConfigurationError(
            .unknownParameter, component: component,
            detail: "not a connection parameter libpq knows" + (nearestKeyword(to: word).map { " (did you mean \"\($0)\"?)" } ?? ""))
    }

    /// The known keyword within two edits of `word`, if one is.
    private static func nearestKeyword(to word: String) -> String? {
        let word = Array(word.lowercased().utf8)
        guard word.count >= 3 else { return nil }
        return knownKeywords.map { ($0, editDistance(word, Array($0.utf8))) }
            .filter { $0.1 <= 2 }.min { ($0.1, $0.0) < ($1.1, $1.0) }?.0
    }

    private static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
}
