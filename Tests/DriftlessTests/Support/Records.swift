import Driftless
import Foundation

/// A six-column record: the subject of the drift matrix.
struct Member: Record, Equatable {
    var id: Int64
    var name: String
    var age: Int
    var email: String?
    var score: Double
    var active: Bool

    static let schema = RecordSchema<Member>(table: "members") {
        Column("id", \.id, primaryKey: true)
        Column("name", \.name, default: "anonymous")
        Column("age", \.age, default: 0)
        Column("email", \.email)
        Column("score", \.score, default: 1.5)
        Column("active", \.active, default: true)
    }

    init(id: Int64, name: String, age: Int, email: String?, score: Double, active: Bool) {
        self.id = id
        self.name = name
        self.age = age
        self.email = email
        self.score = score
        self.active = active
    }

    init(row: Row) throws {
        id = try row.decode(at: 0)
        name = try row.decode(at: 1)
        age = try row.decode(at: 2)
        email = try row.decode(at: 3)
        score = try row.decode(at: 4)
        active = try row.decode(at: 5)
    }

    /// The record as a database lacking `missing` stores and returns it.
    func reading(withMissing missing: Set<String>) -> Member {
        Member(id: id,
               name: missing.contains("name") ? "anonymous" : name,
               age: missing.contains("age") ? 0 : age,
               email: missing.contains("email") ? nil : email,
               score: missing.contains("score") ? 1.5 : score,
               active: missing.contains("active") ? true : active)
    }

    static let nonKeyColumns = ["name", "age", "email", "score", "active"]

    static func sample(_ id: Int64) -> Member {
        Member(id: id, name: "member \(id)", age: Int(20 + id), email: id % 2 == 0 ? nil : "m\(id)@example.com",
               score: Double(id) * 2.25, active: id % 3 != 0)
    }
}

/// A record using the Codable convenience path, with a column shipped ahead of its migration.
struct User: Record, Codable, Equatable {
    var id: Int64
    var name: String
    var email: String?
    var plan: String

    static let schema = RecordSchema<User>(table: "users") {
        Column("id", \.id, primaryKey: true)
        Column("name", \.name, default: "")
        Column("email", \.email)
        Column("plan", \.plan, default: "free")
    }

    static let oldTableSQL = "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT)"
}

/// `User` with a write policy that rejects values it cannot store.
struct StrictUser: Record, Codable, Equatable {
    var id: Int64
    var name: String
    var plan: String

    static let schema = RecordSchema<StrictUser>(table: "users") {
        Column("id", \.id, primaryKey: true)
        Column("name", \.name, default: "")
        Column("plan", \.plan, default: "free", onMissingWrite: .reject)
    }
}

/// `User` with a write policy that drops values silently.
struct QuietUser: Record, Codable, Equatable {
    var id: Int64
    var name: String
    var plan: String

    static let schema = RecordSchema<QuietUser>(table: "users") {
        Column("id", \.id, primaryKey: true)
        Column("name", \.name, default: "")
        Column("plan", \.plan, default: "free", onMissingWrite: .discard)
    }
}

/// A record whose key the database assigns.
struct Note: Record, Codable, Equatable {
    var id: Int64?
    var body: String
    var createdAt: Date?
    var payload: [UInt8]?

    static let schema = RecordSchema<Note>(table: "notes") {
        Column("id", \.id, primaryKey: true)
        Column("body", \.body, default: "")
        Column("created_at", \.createdAt)
        Column("payload", \.payload)
    }
}
