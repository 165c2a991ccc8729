extension String {
    /// The string between two `quote` characters, with every `quote` inside doubled:
    /// the SQL rule for both identifiers (`"`) and string literals (`'`).
    @usableFromInline
    func quoted(with quote: Character) -> String {
        var result = String(quote)
        result.reserveCapacity(utf8.count + 2)
        for character in self {
            if character == quote { result.append(quote) }
            result.append(character)
        }
        result.append(quote)
        return result
    }
}
