import Foundation

/// The seeded random source of the property suites: SplitMix64, so that a failing run is
/// replayed exactly with `DRIFTLESS_PROPERTY_SEED=<seed> swift test --filter <suite>`.
///
/// Without the variable each run draws a new seed, and every failure names the seed it came
/// from with the failing case. `DRIFTLESS_PROPERTY_SCALE` multiplies every suite's case count
/// (0.1 for a quick run, 10 for a long one).
struct PropertyRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The seed of this run: `DRIFTLESS_PROPERTY_SEED`, or a fresh one.
    static let runSeed: UInt64 = {
        if let text = ProcessInfo.processInfo.environment["DRIFTLESS_PROPERTY_SEED"], let seed = UInt64(text) { return seed }
        return UInt64.random(in: 0...UInt64.max)
    }()

    /// A generator for one suite: the run's seed mixed with the suite's name, so that suites
    /// draw different cases and each can be replayed alone.
    static func forSuite(_ name: String) -> PropertyRandom {
        var mixed = runSeed
        for byte in name.utf8 { mixed = (mixed ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return PropertyRandom(seed: mixed)
    }

    /// How many cases a suite runs: `base` times `DRIFTLESS_PROPERTY_SCALE`.
    static func cases(_ base: Int) -> Int {
        let scale = Double(ProcessInfo.processInfo.environment["DRIFTLESS_PROPERTY_SCALE"] ?? "") ?? 1
        return max(1, Int(Double(base) * scale))
    }

    /// How to replay a suite's run, for failure messages.
    static func replay(_ suite: String) -> String {
        "seed \(runSeed) (replay: DRIFTLESS_PROPERTY_SEED=\(runSeed) swift test --filter \(suite))"
    }

    mutating func chance(_ probability: Double) -> Bool { Double.random(in: 0..<1, using: &self) < probability }

    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &self)] }
}

/// Strings drawn from the whole Unicode range, biased towards what breaks SQL quoting and
/// parsing: quotes sharing a grapheme cluster with a combining mark after them (U+0301) or a
/// prepend mark before them (U+0600), NUL, CR and LF, comment markers, statement ends,
/// dollar quotes, placeholders and backslashes.
enum HostileText {
    /// Pieces that break naive quoting, comment handling or statement splitting.
    static let pieces: [String] = [
        "\"", "'", "\"\u{301}", "'\u{301}", "\u{600}\"", "\u{600}'", "\u{600}\"\u{301}", "\"\"", "''",
        "\0", "\r", "\n", "\r\n", "--", "/*", "*/", ";", "$$", "$a$", "\\", "\\'", "?", "?1", "$1", ":x", "@y",
        " ", "\t", "%", "_", "E'", "U&\"", "`", "[", "]", "(", ")", ",", ".", "\u{301}", "\u{600}", "\u{110BD}",
        "\u{200D}", "\u{FEFF}", "\u{202E}", "\u{FFFE}", "\u{FFFF}", "\u{10FFFF}", "\u{E000}", "👩🏽‍💻", "é", "e\u{301}",
        "İ", "ß", "Σ", "DROP TABLE sentinel", " UNION SELECT 1 ", " OR 1=1 ", "); DELETE FROM sentinel; --",
    ]

    /// Line ends of every kind (PostgreSQL ends a `--` comment at `\r` as well as `\n`), other
    /// control characters, Unicode separators and statement delimiters: what must not turn a
    /// `--` comment or a file header line into SQL.
    static let lineBreakingPieces: [String] = [
        "\r", "\n", "\r\n", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}", "\0", "\u{1B}", "\t",
        "DROP TABLE victim;", " --", "-- ", "BEGIN;", "COMMIT;",
    ]

    /// Messages (of migrations, targets) for comments and headers: the cases every run
    /// includes, then `count` generated ones, half of their pieces line-breaking.
    static func messages(_ count: Int, using random: inout PropertyRandom) -> [String] {
        let generated = (0..<count).map { _ in
            (0..<Int.random(in: 1...8, using: &random)).map { _ in
                random.chance(0.5) ? random.pick(lineBreakingPieces) : random.pick(pieces)
            }.joined()
        }
        return ["evil\rDROP TABLE victim; --", "evil\nDROP TABLE victim; --", "evil\r\nDROP TABLE victim;",
                "evil\u{2028}DROP TABLE victim;"] + generated
    }

    /// One string of up to `maximumPieces` pieces: hostile pieces, single scalars from
    /// anywhere in Unicode, and ASCII letters, optionally never NUL.
    static func string(using random: inout PropertyRandom, maximumPieces: Int = 8, allowsNUL: Bool = true) -> String {
        var text = ""
        for _ in 0..<Int.random(in: 0...maximumPieces, using: &random) {
            switch Int.random(in: 0..<10, using: &random) {
            case 0..<4: text += random.pick(pieces)
            case 4..<7: text.unicodeScalars.append(anyScalar(using: &random))
            default: text += String(random.pick(Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")))
            }
        }
        if !allowsNUL { text.unicodeScalars.removeAll { $0 == "\0" } }
        return text
    }

    /// A scalar from anywhere in Unicode (surrogates excepted), often from the BMP.
    static func anyScalar(using random: inout PropertyRandom) -> Unicode.Scalar {
        while true {
            let value: UInt32 = switch Int.random(in: 0..<4, using: &random) {
            case 0: UInt32.random(in: 0...0x7F, using: &random)
            case 1: UInt32.random(in: 0x80...0x7FF, using: &random)
            case 2: UInt32.random(in: 0x800...0xFFFF, using: &random)
            default: UInt32.random(in: 0x10000...0x10FFFF, using: &random)
            }
            if let scalar = Unicode.Scalar(value) { return scalar }
        }
    }

    /// A non-empty name: hostile text with a letter somewhere, so that names stay distinct
    /// when `tag` is added.
    static func name(using random: inout PropertyRandom, allowsNUL: Bool = true, tag: String) -> String {
        let text = string(using: &random, maximumPieces: random.chance(0.1) ? 30 : 6, allowsNUL: allowsNUL)
        return random.chance(0.5) ? tag + text : text + tag
    }

    /// The text shown in failure messages: every scalar visible (`\u{301}`, `\0`).
    static func shown(_ text: String) -> String {
        "\"" + text.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0 != "\\" && $0 != "\"" ? String($0) : "\\u{\(String($0.value, radix: 16))}" }.joined() + "\""
    }

    /// Whether two strings are the same scalars (Swift's `==` equates canonically equivalent ones).
    static func same(_ lhs: String, _ rhs: String) -> Bool { lhs.unicodeScalars.elementsEqual(rhs.unicodeScalars) }

    /// Smaller variants of a string that a failing case is retried with: halves, then each
    /// scalar removed.
    static func shrinkCandidates(_ text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count > 1 else { return scalars.isEmpty ? [] : [""] }
        var candidates = [String(String.UnicodeScalarView(scalars[..<(scalars.count / 2)])),
                          String(String.UnicodeScalarView(scalars[(scalars.count / 2)...]))]
        for index in scalars.indices {
            var shorter = scalars
            shorter.remove(at: index)
            candidates.append(String(String.UnicodeScalarView(shorter)))
        }
        return candidates
    }

    /// The smallest strings (by greedy removal) for which `fails` still holds, trying at most
    /// `budget` candidates.
    static func shrink(_ texts: [String], budget: Int = 300, fails: ([String]) -> Bool) -> [String] {
        var current = texts
        var tries = 0
        var improved = true
        while improved && tries < budget {
            improved = false
            search: for position in current.indices {
                for candidate in shrinkCandidates(current[position]) {
                    tries += 1
                    if tries > budget { break search }
                    var trial = current
                    trial[position] = candidate
                    if fails(trial) {
                        current = trial
                        improved = true
                        break search
                    }
                }
            }
        }
        return current
    }
}
