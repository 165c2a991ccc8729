import Driftless
import Foundation
import Testing

enum Role: String, Codable, Sendable, DatabaseValueConvertible { case member, admin }

enum Level: Int, Codable, Sendable, DatabaseValueConvertible, UnknownRawValueFallback {
    case low = 1, high = 2, unknown = 0
    static var unknownRawValueFallback: Level { .unknown }
}

struct Preferences: Codable, Equatable, Sendable, DatabaseJSONValue {
    var theme: String?
    var size: Double?
    var digest: Bool?
}

/// A record with the column types of issue 10: enums, Decimal, JSON documents and arrays.
struct Profile: Record, Codable, Equatable {
    var id: Int64
    var role: Role
    var level: Level
    var price: Decimal
    var preferences: Preferences
    var tags: JSONValue<[String]>

    static let schema = RecordSchema<Profile>(table: "profiles") {
        Column("id", \.id, primaryKey: true)
        Column("role", \.role, default: .member)
        Column("level", \.level, default: .low)
        Column("price", \.price, default: Decimal(0))
        Column("preferences", \.preferences, default: Preferences(theme: "light"))
        Column("tags", \.tags, default: JSONValue([]))
    }
}

/// A record whose text column the text-matching checks filter.
struct Phrase: Record, Codable, Equatable {
    var id: Int64
    var text: String

    static let schema = RecordSchema<Phrase>(table: "phrases") {
        Column("id", \.id, primaryKey: true)
        Column("text", \.text, default: "")
    }
}

enum TypesConformance {
    static func createProfiles<D: TestDatabase>(in db: D, missing: Set<String> = []) throws {
        let types: [(String, ColumnType)] = [("role", .text), ("level", .integer), ("price", .decimal),
                                             ("preferences", .json), ("tags", .json)]
        let columns = ["\"id\" \(db.sqlType(.integer)) PRIMARY KEY"] + types.filter { !missing.contains($0.0) }
            .map { "\"\($0.0)\" \(db.sqlType($0.1))" }
        try db.executeRaw("CREATE TABLE profiles (\(columns.joined(separator: ", ")))")
    }

    /// Enums, decimals and JSON round-trip, filter and fail as documented.
    static func columnTypes<D: TestDatabase>(in db: D) throws {
        try createProfiles(in: db)
        let profiles = db.blocking.repository(Profile.self)
        let exact = try #require(Decimal(string: "12345678901234567890.123456789", locale: Locale(identifier: "en_US_POSIX")))
        let stored = [
            Profile(id: 1, role: .admin, level: .high, price: exact, preferences: Preferences(theme: "dark", size: 1, digest: true),
                    tags: JSONValue(["a", "b \"quoted\""])),
            Profile(id: 2, role: .member, level: .low, price: Decimal(string: "0.1")!, preferences: Preferences(theme: nil, size: 1.5, digest: false),
                    tags: JSONValue([])),
            Profile(id: 3, role: .member, level: .low, price: Decimal(-7), preferences: Preferences(), tags: JSONValue(["日本"])),
        ]
        try profiles.insert(contentsOf: stored)
        #expect(try profiles.fetchAll(Profile.order(.ascending(\.id))) == stored)
        #expect(try profiles.find(Int64(1))?.price == exact, "a Decimal is stored exactly, never through Double")
        #expect(try profiles.count(Profile.filter(\.role == .member)) == 2)
        #expect(try profiles.count(Profile.filter(.in(\.level, [.high]))) == 1)
        #expect(try profiles.count(Profile.filter(\.price == Decimal(string: "0.1")!)) == 1)
        #expect(try profiles.updateAll(Profile.filter(\.id == 3), set: \.role <- .admin) == 1)
        #expect(try profiles.distinct(\.role).count == 2)

        // JSON fields: by JSON type, then value; null is not missing.
        func matching(_ field: String, _ test: JSONFieldTest) throws -> [Int64] {
            try profiles.select(\.id, from: Profile.filter(.json(\.preferences, field, test)).order(.ascending(\.id)))
        }
        #expect(try matching("theme", .string("dark")) == [1])
        #expect(try matching("size", .number(1)) == [1])
        #expect(try matching("size", .number(1.5)) == [2])
        #expect(try matching("digest", .boolean(true)) == [1])
        #expect(try matching("digest", .boolean(false)) == [2])
        #expect(try matching("theme", .null) == [], "the encoder leaves nil out: missing, not null")
        #expect(try matching("theme", .missing) == [2, 3])
        #expect(try matching("size", .string("1")) == [], "a number is not a string")
        try db.executeRaw("UPDATE profiles SET \"preferences\" = '{\"theme\": null, \"size\": \"1\"}' WHERE \"id\" = 3")
        #expect(try matching("theme", .null) == [3])
        #expect(try matching("size", .string("1")) == [3])
        #expect(try matching("size", .number(1)) == [1])
        #expect(throws: DriftlessError.self) { try matching("a\"b", .missing) }

        // An unknown raw value: a typed error naming table, column and key; or the fallback.
        try db.executeRaw("UPDATE profiles SET \"role\" = 'owner', \"level\" = 9 WHERE \"id\" = 2")
        do {
            _ = try profiles.find(Int64(2))
            Issue.record("an unknown raw value read as a case")
        } catch let error as DriftlessError {
            #expect(error.code == .typeMismatch)
            #expect(error.table == TableName("profiles") && error.column == "role" && error.key == "id=2")
        }
        try db.executeRaw("UPDATE profiles SET \"role\" = 'member' WHERE \"id\" = 2")
        #expect(try profiles.find(Int64(2))?.level == .unknown)
    }

    /// Each new column type, missing, reads as its declared default and filters as it.
    static func missingColumnTypes<D: TestDatabase>(in db: D) throws {
        try createProfiles(in: db, missing: ["role", "price", "preferences", "tags"])
        let profiles = db.blocking.repository(Profile.self)
        try profiles.insert(Profile(id: 1, role: .member, level: .high, price: 0, preferences: Preferences(theme: "light"), tags: JSONValue([])))
        #expect(try profiles.find(Int64(1)) == Profile(id: 1, role: .member, level: .high, price: 0,
                                                       preferences: Preferences(theme: "light"), tags: JSONValue([])))
        #expect(try profiles.count(Profile.filter(.json(\.preferences, "theme", .string("light")))) == 1)
        #expect(try profiles.count(Profile.filter(.json(\.preferences, "size", .missing))) == 1)
        #expect(try profiles.distinct(\.role) == [.member])
        #expect(try profiles.aggregate(Profile.max(\.price)) == 0)
    }

    // MARK: Text matching

    static let alphabet: [String] = ["a", "A", "z", "Z", "é", "É", "ß", "ẞ", "İ", "ı", "\u{212A}", "k", "K", "😀",
                                     "e\u{301}", "%", "_", "\\", "!", " "]

    /// Case-insensitive equality and LIKE (with and without an escape character) on
    /// generated Unicode strings, against a model of the documented rule.
    static func textMatching<D: TestDatabase>(in db: D) throws {
        try db.executeRaw("CREATE TABLE phrases (\"id\" \(db.sqlType(.integer)) PRIMARY KEY, \"text\" \(db.sqlType(.text)) NOT NULL)")
        let phrases = db.blocking.repository(Phrase.self)
        var random = PropertyRandom.forSuite("text matching")
        func word(_ length: ClosedRange<Int>) -> String {
            (0..<Int.random(in: length, using: &random)).map { _ in alphabet.randomElement(using: &random)! }.joined()
        }
        let rows = (1...60).map { Phrase(id: Int64($0), text: word(0...5)) }
        try phrases.insert(contentsOf: rows)
        for round in 0..<PropertyRandom.cases(150) {
            let context = "round \(round), seed \(PropertyRandom.runSeed)"
            // Equality ignoring ASCII case, against a value drawn from a row half the time.
            let probe = round % 2 == 0 ? foldedVariant(rows.randomElement(using: &random)!.text, &random) : word(0...3)
            let equal = try phrases.select(\.id, from: Phrase.filter(.equalIgnoringCase(\.text, probe)).order(.ascending(\.id)))
            #expect(equal == rows.filter { asciiFolded($0.text) == asciiFolded(probe) }.map(\.id), "\(probe.debugDescription), \(context)")

            let escape: Unicode.Scalar? = round % 3 == 0 ? nil : (round % 3 == 1 ? "\\" : "!")
            var pattern = word(0...4)
            if let escape, likeTokens(pattern, escape: escape) == nil { pattern += String(escape) + "%" }
            for caseInsensitive in [false, true] {
                let matched = try phrases.select(\.id, from: Phrase.filter(
                    .like(\.text, pattern, escape: escape, caseInsensitive: caseInsensitive)).order(.ascending(\.id)))
                let expected = rows.filter { likeMatches($0.text, pattern, escape: escape, caseInsensitive: caseInsensitive) }.map(\.id)
                #expect(matched == expected, "LIKE \(pattern.debugDescription) escape \(escape.map { String($0) } ?? "none") ci \(caseInsensitive), \(context)")
            }
        }
        #expect(throws: DriftlessError.self) { try phrases.count(Phrase.filter(.like(\.text, "ab\\", escape: "\\"))) }
    }

    private static func foldedVariant(_ text: String, _ random: inout PropertyRandom) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            guard scalar.isASCII, Bool.random(using: &random) else { return scalar }
            return Unicode.Scalar(String(scalar).uppercased()) ?? scalar
        }))
    }

    static func asciiFolded(_ text: String) -> [Unicode.Scalar] {
        text.unicodeScalars.map { ("A"..."Z").contains($0) ? Unicode.Scalar($0.value + 32)! : $0 }
    }

    enum LikeToken: Equatable { case anyRun, one, literal(Unicode.Scalar) }

    /// The pattern's tokens, or nil if it ends in its escape character.
    static func likeTokens(_ pattern: String, escape: Unicode.Scalar?) -> [LikeToken]? {
        var tokens: [LikeToken] = []
        var escaped = false
        for scalar in pattern.unicodeScalars {
            if escaped { tokens.append(.literal(scalar)); escaped = false; continue }
            if scalar == escape { escaped = true; continue }
            tokens.append(scalar == "%" ? .anyRun : scalar == "_" ? .one : .literal(scalar))
        }
        return escaped ? nil : tokens
    }

    /// The documented LIKE rule: by Unicode scalar, ASCII case folded when asked.
    static func likeMatches(_ text: String, _ pattern: String, escape: Unicode.Scalar?, caseInsensitive: Bool) -> Bool {
        let fold: (Unicode.Scalar) -> Unicode.Scalar = { caseInsensitive && ("A"..."Z").contains($0) ? Unicode.Scalar($0.value + 32)! : $0 }
        let tokens = likeTokens(pattern, escape: escape)!.map { token -> LikeToken in
            if case .literal(let scalar) = token { return .literal(fold(scalar)) }
            return token
        }
        let scalars = text.unicodeScalars.map(fold)
        var memo: [Int: Bool] = [:]
        func match(_ t: Int, _ s: Int) -> Bool {
            let key = t * 1000 + s
            if let known = memo[key] { return known }
            let result: Bool
            if t == tokens.count { result = s == scalars.count } else {
                switch tokens[t] {
                case .anyRun: result = (s...scalars.count).contains { match(t + 1, $0) }
                case .one: result = s < scalars.count && match(t + 1, s + 1)
                case .literal(let scalar): result = s < scalars.count && scalars[s] == scalar && match(t + 1, s + 1)
                }
            }
            memo[key] = result
            return result
        }
        return match(0, 0)
    }
}
