import Driftless
import Foundation
import Testing

/// The `Decodable` path of records on every backend: coding keys are matched to columns
/// once per plan layout (exactly, ignoring case, or in snake_case), and the remembered
/// mapping never decodes a row wrongly when a decoder asks for other keys on other rows.
enum CodableConformance {
    /// Property names in camelCase and other cases than their columns, declared in another
    /// order than the properties.
    struct Profile: Record, Codable, Equatable {
        var id: Int64
        var displayName: String
        var EMAIL: String?
        var loginCount: Int
        var score: Double
        var isAdmin: Bool

        static let schema = RecordSchema<Profile>(table: "profiles") {
            Column("id", \.id, primaryKey: true)
            Column("score", \.score, default: 0)
            Column("display_name", \.displayName, default: "")
            Column("email", \.EMAIL)
            Column("Login_Count", \.loginCount, default: 0)
            Column("is_admin", \.isAdmin, default: false)
        }
    }

    /// A decoder whose keys depend on the row: odd ids decode `note`, even ids do not and
    /// read `tag` instead, so consecutive rows ask for different key sequences.
    struct Varying: Record, Decodable, Equatable {
        var id: Int64
        var note: String?
        var tag: String

        static let schema = RecordSchema<Varying>(table: "varying") {
            Column("id", \.id, primaryKey: true)
            Column("note", \.note)
            Column("tag", \.tag, default: "none")
        }

        enum CodingKeys: String, CodingKey { case id, note, tag }

        init(id: Int64, note: String?, tag: String) {
            self.id = id
            self.note = note
            self.tag = tag
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(Int64.self, forKey: .id)
            if id % 2 == 1 {
                note = try container.decodeIfPresent(String.self, forKey: .note)
                tag = "odd"
            } else {
                note = nil
                tag = try container.decode(String.self, forKey: .tag)
            }
        }
    }

    static func mapsKeysOncePerLayout<D: TestDatabase>(in db: D) throws {
        try db.blocking.createMissingTables(for: [Profile.self, Varying.self])
        var generator = PropertyRandom.forSuite("codable")
        let profiles = (1...500).map { id in
            Profile(id: Int64(id), displayName: "name \(Int.random(in: 0...1_000_000, using: &generator))",
                    EMAIL: Bool.random(using: &generator) ? nil : "user\(id)@example.com",
                    loginCount: Int.random(in: -1_000...1_000, using: &generator),
                    score: Double(Int.random(in: -1_000_000...1_000_000, using: &generator)) / 64,
                    isAdmin: Bool.random(using: &generator))
        }
        let repository = db.blocking.repository(Profile.self)
        try repository.insert(contentsOf: profiles)
        #expect(try repository.fetchAll() == profiles, "seed \(PropertyRandom.runSeed)")
        #expect(try repository.find(Int64(321)) == profiles[320])
        // A second layout of the same type (raw SQL, columns in another order) maps on its own.
        let raw = try repository.fetchAll(sql: "SELECT is_admin, email, \"Login_Count\", display_name, score, id FROM profiles ORDER BY id")
        #expect(raw == profiles)

        let varying = (1...300).map { id in
            Varying(id: Int64(id), note: id % 3 == 0 ? nil : "note \(id)", tag: "tag \(id)")
        }
        let varyingRepository = db.blocking.repository(Varying.self)
        try varyingRepository.insert(contentsOf: varying)
        let expected = varying.map { record in
            record.id % 2 == 1 ? Varying(id: record.id, note: record.note, tag: "odd")
                : Varying(id: record.id, note: nil, tag: record.tag)
        }
        #expect(try varyingRepository.fetchAll() == expected)
        // Read again, so that every row meets the sequence the first rows left behind.
        #expect(try varyingRepository.fetchAll(Varying.order(.descending(\.id))) == expected.reversed())
    }
}
