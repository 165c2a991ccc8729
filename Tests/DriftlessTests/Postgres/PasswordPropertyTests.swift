import Driftless
import DriftlessPostgres
import Foundation
import Testing

/// Passwords holding every special character, in URLs and keyword strings written correctly
/// (percent-encoded, quoted) and carelessly (raw): written correctly they read back exactly;
/// either way no error, description or connection failure contains them.
@Suite("Property: passwords")
struct PasswordPropertyTests {
    static let specials: [String] = " !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".map(String.init) + ["é", "\u{301}", "\u{600}", "👩🏽‍💻", "\t", "\n"]

    /// A password of 4 to 24 characters, mostly specials.
    static func password(using random: inout PropertyRandom) -> String {
        var text = ""
        while text.unicodeScalars.count < Int.random(in: 4...24, using: &random) {
            if random.chance(0.6) {
                text.append(random.pick(specials))
            } else {
                text.unicodeScalars.append(random.chance(0.8) ? random.pick(Array("abcXYZ0189".unicodeScalars)) : HostileText.anyScalar(using: &random))
            }
        }
        text.unicodeScalars.removeAll { $0 == "\0" }
        return text.isEmpty ? "pw" : text
    }

    static func percentEncoded(_ text: String) -> String {
        text.utf8.map { byte in
            let unreserved = (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || Array("-._~".utf8).contains(byte)
            return unreserved ? String(UnicodeScalar(byte)) : String(format: "%%%02X", byte)
        }.joined()
    }

    /// A keyword-string value in single quotes, `'` and `\` escaped by `\` (scalar by
    /// scalar: `replacingOccurrences` would miss a `'` sharing a cluster with U+0301).
    static func quoted(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "'" || scalar == "\\" { result.append("\\") }
            result.append(scalar)
        }
        return "'" + String(result) + "'"
    }

    /// Whether `text` shows the password (ignoring passwords that are part of the rest of the
    /// input by chance).
    static func leaks(_ text: String, _ password: String) -> Bool {
        Array(text.utf8).firstRange(of: Array(password.utf8)) != nil
    }

    @Test func passwordsReadBackExactlyAndNeverShow() throws {
        var random = PropertyRandom.forSuite("PasswordPropertyTests")
        var failures: [String] = []
        let count = PropertyRandom.cases(3_000)
        for index in 0..<count where failures.count < 5 {
            let password = Self.password(using: &random)
            let shown = HostileText.shown(password)
            // Written correctly: exact.
            do {
                let url = try PostgresConfiguration(url: "postgres://app:\(Self.percentEncoded(password))@db.example:5432/shop")
                if !HostileText.same(url.parameter("password") ?? "", password) { failures.append("\(index) URL: \(shown) reads back as \(HostileText.shown(url.parameter("password") ?? ""))") }
                if Self.leaks("\(url)", password) || Self.leaks(String(reflecting: url), password) { failures.append("\(index) URL: the description shows \(shown)") }
                let keywords = try PostgresConfiguration(keywords: "host=db.example password=\(Self.quoted(password)) dbname=shop")
                if !HostileText.same(keywords.parameter("password") ?? "", password) { failures.append("\(index) keywords: \(shown) reads back as \(HostileText.shown(keywords.parameter("password") ?? ""))") }
            } catch {
                failures.append("\(index): \(shown) written correctly fails: \(error)")
            }
            // Written carelessly: an error or a configuration, neither showing it.
            for careless in ["postgres://app:\(password)@db.example:5432/shop", "postgres://app:\(password)@db.example/shop?sslmode=disable",
                             "host=db.example password=\(password) dbname=shop", "password=\(password)"] {
                do {
                    let configuration = careless.hasPrefix("postgres") ? try PostgresConfiguration(url: careless)
                        : try PostgresConfiguration(keywords: careless)
                    for text in ["\(configuration)", configuration.targetDescription, String(reflecting: configuration)] where Self.leaks(text, password) {
                        failures.append("\(index): \(HostileText.shown(careless)) gives a description showing the password: \(text)")
                    }
                } catch {
                    if Self.leaks("\(error)", password) { failures.append("\(index): \(HostileText.shown(careless)) gives an error showing the password: \(error)") }
                }
            }
        }
        #expect(failures.isEmpty, "\(count) passwords, \(PropertyRandom.replay("PasswordPropertyTests")):\n\(failures.joined(separator: "\n"))")
    }

    /// A failed connection's error names the target, never the password, however the URL was written.
    @Test func connectionFailuresNeverShowThePassword() throws {
        var random = PropertyRandom.forSuite("PasswordPropertyTests.connect")
        let missing = TemporaryDirectory().path("no-server-here")
        for _ in 0..<PropertyRandom.cases(40) {
            let password = Self.password(using: &random)
            for url in ["postgres://app:\(Self.percentEncoded(password))@/shop?host=\(missing)", "postgres://app:\(password)@/shop?host=\(missing)"] {
                let error = #expect(throws: (any Error).self) { try PostgresDatabase(url: url) }
                #expect(!Self.leaks("\(error.map { "\($0)" } ?? "")", password), "\(HostileText.shown(password)): \(String(describing: error))")
            }
        }
    }
}
