import Driftless

/// Which release of the service a process runs: one source, chosen at launch (`--release`).
///
/// v2 adds `users.plan` (written with `.keep`, so values written before the expand migration
/// wait in the overflow column instead of being dropped) and renames `users.name` to
/// `users.display_name` (declared with its previous name: reads use whichever exists, writes
/// go to both while both exist).
enum Release: String, Sendable, CaseIterable {
    case v1, v2
}

/// A user as release 1 knows it.
struct UserV1: Record, Codable, Equatable {
    var id: Int64
    var name: String
    var email: String?

    static let schema = RecordSchema<UserV1>(table: "users") {
        Column("id", \.id, primaryKey: true)
        Column("name", \.name, default: "")
        Column("email", \.email)
    }
}

/// A user as release 2 knows it.
struct UserV2: Record, Equatable {
    var id: Int64
    var displayName: String
    var email: String?
    var plan: String

    static let schema = RecordSchema<UserV2>(table: "users") {
        Column("id", \.id, primaryKey: true)
        Column("display_name", \.displayName, default: "", previousNames: ["name"])
        Column("email", \.email)
        Column("plan", \.plan, default: "free", onMissingWrite: .keep)
    }

    init(id: Int64, displayName: String, email: String?, plan: String) {
        self.id = id
        self.displayName = displayName
        self.email = email
        self.plan = plan
    }

    init(row: Row) throws {
        id = try row.decode(at: 0)
        displayName = try row.decode(at: 1)
        email = try row.decode(at: 2)
        plan = try row.decode(at: 3)
    }
}

/// A post: the same in both releases.
struct Post: Record, Codable, Equatable {
    var id: Int64
    var userID: Int64
    var title: String
    var body: String

    static let schema = RecordSchema<Post>(table: "posts") {
        Column("id", \.id, primaryKey: true)
        Column("user_id", \.userID, default: 0)
        Column("title", \.title, default: "")
        Column("body", \.body, default: "")
    }

    enum CodingKeys: String, CodingKey {
        case id, userID = "user_id", title, body
    }
}
