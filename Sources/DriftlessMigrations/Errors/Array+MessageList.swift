extension Array where Element == String {
    /// The names joined for a message, at most `limit` of them and then how many more, so
    /// that a graph of thousands of heads or candidates still gives a readable line.
    package func listedForMessage(separator: String = ", ", limit: Int = 20) -> String {
        guard count > limit else { return joined(separator: separator) }
        return prefix(limit).joined(separator: separator) + separator + "and \(count - limit) more"
    }
}
