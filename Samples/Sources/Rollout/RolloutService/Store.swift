import Driftless

/// A user as the HTTP API shows it, in both releases (v1 leaves `plan` out).
struct UserBody: Codable, Sendable, Equatable {
    var id: Int64
    var name: String
    var email: String?
    var plan: String?
}

/// A post as the HTTP API shows it.
struct PostBody: Codable, Sendable, Equatable {
    var id: Int64
    var userID: Int64
    var title: String
    var body: String
}

/// What a request asked for that cannot be done (mapped to an HTTP status by the routes).
enum StoreError: Error {
    case notFound
    case conflict
}

/// The data access the routes need, in two implementations: ``DriftlessStore`` (records that
/// tolerate drift) and ``PlainStore`` (full-column SQL, errors surfaced), so the rollout can
/// put the same service with and without drift tolerance side by side.
protocol Store: Sendable {
    func createUser(_ user: UserBody) async throws -> UserBody
    func user(_ id: Int64) async throws -> UserBody
    func users(after id: Int64, limit: Int) async throws -> [UserBody]
    func searchUsers(_ text: String, limit: Int) async throws -> [UserBody]
    func updateUser(_ user: UserBody) async throws -> UserBody
    func createPost(_ post: PostBody) async throws -> PostBody
    func post(_ id: Int64) async throws -> PostBody
    func posts(of userID: Int64, limit: Int) async throws -> [PostBody]
    func searchPosts(_ text: String, limit: Int) async throws -> [PostBody]
    func updatePost(_ post: PostBody) async throws -> PostBody
    /// The plan each record type is served by ("full", "projected (missing: ...)").
    func planModes() async throws -> [String: String]
}

extension DatabaseError {
    var isDuplicateKey: Bool { kind == .uniqueViolation }
}
