/// Seeded generators of text that breaks naive SQL rendering: line ends of every kind
/// (PostgreSQL ends a `--` comment at `\r` as well as `\n`), other control characters,
/// Unicode separators, quotes, comment and statement delimiters, dollar quotes, combining
/// and prepend marks. The same seed gives the same cases, so a failure can be replayed.
struct HostileText {
    static let pieces = [
        "\r", "\n", "\r\n", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}", "\0", "\u{1B}", "\t",
        "DROP TABLE victim;", " --", "-- ", "/*", "*/", ";", "'", "\"", "$$", "\\", "\u{301}", "\u{600}",
        "é", "😀", " ", "BEGIN;", "COMMIT;", "x",
    ]

    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// SplitMix64.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// One to `maximumPieces` pieces, joined.
    mutating func text(maximumPieces: Int = 8) -> String {
        let count = 1 + Int(next() % UInt64(maximumPieces))
        return (0..<count).map { _ in Self.pieces[Int(next() % UInt64(Self.pieces.count))] }.joined()
    }

    /// The cases every run includes, then `count` generated ones.
    mutating func messages(_ count: Int) -> [String] {
        ["evil\rDROP TABLE victim; --", "evil\nDROP TABLE victim; --", "evil\r\nDROP TABLE victim;",
         "evil\u{2028}DROP TABLE victim;"] + (0..<count).map { _ in text() }
    }
}
