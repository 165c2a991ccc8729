import Foundation
import Hummingbird

/// The HTTP API: create, read, list, update and search of users and posts, plus `/status`
/// (release, plan modes, startup migration) for the rollout's catch-up measurements.
struct Routes: Sendable {
    let store: any Store
    let release: Release
    let plain: Bool
    let gate: StartupGate
    let statistics: @Sendable () -> [String: Int]

    func add(to router: Router<BasicRequestContext>) {
        router.post("/users") { request, context in
            let body = try await request.decode(as: UserBody.self, context: context)
            return try await respond(status: .created) { try await store.createUser(body) }
        }
        router.get("/users/:id") { _, context in
            let id = try context.parameters.require("id", as: Int64.self)
            return try await respond { try await store.user(id) }
        }
        router.put("/users/:id") { request, context in
            var body = try await request.decode(as: UserBody.self, context: context)
            body.id = try context.parameters.require("id", as: Int64.self)
            return try await respond { try await store.updateUser(body) }
        }
        router.get("/users") { request, _ in
            let limit = min(request.uri.queryParameters.get("limit", as: Int.self) ?? 20, 100)
            if let text = request.uri.queryParameters.get("search") {
                return try await respond { try await store.searchUsers(text, limit: limit) }
            }
            let after = request.uri.queryParameters.get("after", as: Int64.self) ?? 0
            return try await respond { try await store.users(after: after, limit: limit) }
        }
        router.get("/users/:id/posts") { request, context in
            let id = try context.parameters.require("id", as: Int64.self)
            let limit = min(request.uri.queryParameters.get("limit", as: Int.self) ?? 20, 100)
            return try await respond { try await store.posts(of: id, limit: limit) }
        }
        router.post("/posts") { request, context in
            let body = try await request.decode(as: PostBody.self, context: context)
            return try await respond(status: .created) { try await store.createPost(body) }
        }
        router.get("/posts/:id") { _, context in
            let id = try context.parameters.require("id", as: Int64.self)
            return try await respond { try await store.post(id) }
        }
        router.put("/posts/:id") { request, context in
            var body = try await request.decode(as: PostBody.self, context: context)
            body.id = try context.parameters.require("id", as: Int64.self)
            return try await respond { try await store.updatePost(body) }
        }
        router.get("/posts") { request, _ in
            let limit = min(request.uri.queryParameters.get("limit", as: Int.self) ?? 20, 100)
            let text = request.uri.queryParameters.get("search") ?? ""
            return try await respond { try await store.searchPosts(text, limit: limit) }
        }
        router.get("/status") { _, _ in
            try await respond { try await status() }
        }
    }

    struct Status: Codable, Sendable {
        var release: String
        var plain: Bool
        var pid: Int32
        var plans: [String: String]
        var statistics: [String: Int]
        var migrationsApplied: [String]
        var migrationStartedMs: Int64?
        var migrationFinishedMs: Int64?
    }

    private func status() async throws -> Status {
        let startup = gate.startup
        return Status(
            release: release.rawValue, plain: plain, pid: ProcessInfo.processInfo.processIdentifier,
            plans: try await store.planModes(), statistics: statistics(),
            migrationsApplied: startup?.applied ?? [],
            migrationStartedMs: startup.map { Int64($0.started.timeIntervalSince1970 * 1000) },
            migrationFinishedMs: startup.map { Int64($0.finished.timeIntervalSince1970 * 1000) })
    }

    /// Runs a store call and encodes its result; store errors become 404/409, and any other
    /// error a 500 whose body says what failed (the load tool counts and shows them).
    private func respond(status: HTTPResponse.Status = .ok, _ body: () async throws -> some Encodable) async throws
        -> Response
    {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.init("X-Release")!] = release.rawValue
        do {
            let data = try JSONEncoder().encode(try await body())
            return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        } catch StoreError.notFound {
            return Response(status: .notFound, headers: headers)
        } catch StoreError.conflict {
            return Response(status: .conflict, headers: headers)
        } catch {
            let text = Data("\(error)".utf8)
            return Response(status: .internalServerError, headers: headers,
                            body: .init(byteBuffer: ByteBuffer(bytes: text)))
        }
    }
}
