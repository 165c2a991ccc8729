import Driftless

/// The store on Driftless records: the release's record type, whatever the schema.
struct DriftlessStore<Database: DatabaseDriver>: Store {
    let database: Database
    let release: Release

    private var posts: Repository<Post, Database> { database.repository(Post.self) }

    func createUser(_ user: UserBody) async throws -> UserBody {
        do {
            switch release {
            case .v1: try await database.repository(UserV1.self).insert(UserV1(user))
            case .v2: try await database.repository(UserV2.self).insert(UserV2(user))
            }
        } catch let error as DatabaseError where error.isDuplicateKey {
            throw StoreError.conflict
        }
        return try await self.user(user.id)
    }

    func user(_ id: Int64) async throws -> UserBody {
        let found: UserBody? = switch release {
        case .v1: try await database.repository(UserV1.self).find(id).map(UserBody.init)
        case .v2: try await database.repository(UserV2.self).find(id).map(UserBody.init)
        }
        guard let found else { throw StoreError.notFound }
        return found
    }

    func users(after id: Int64, limit: Int) async throws -> [UserBody] {
        switch release {
        case .v1:
            try await database.repository(UserV1.self)
                .fetchAll(UserV1.filter(\.id > id).order(.ascending(\.id)).limit(limit)).map(UserBody.init)
        case .v2:
            try await database.repository(UserV2.self)
                .fetchAll(UserV2.filter(\.id > id).order(.ascending(\.id)).limit(limit)).map(UserBody.init)
        }
    }

    func searchUsers(_ text: String, limit: Int) async throws -> [UserBody] {
        let pattern = "%" + text + "%"
        return switch release {
        case .v1:
            try await database.repository(UserV1.self)
                .fetchAll(UserV1.filter(.like(\.name, pattern)).order(.ascending(\.id)).limit(limit)).map(UserBody.init)
        case .v2:
            try await database.repository(UserV2.self)
                .fetchAll(UserV2.filter(.like(\.displayName, pattern)).order(.ascending(\.id)).limit(limit))
                .map(UserBody.init)
        }
    }

    func updateUser(_ user: UserBody) async throws -> UserBody {
        // An update of a row that is not there changes nothing: report it as not found.
        _ = try await self.user(user.id)
        switch release {
        case .v1: try await database.repository(UserV1.self).update(UserV1(user))
        case .v2: try await database.repository(UserV2.self).update(UserV2(user))
        }
        return try await self.user(user.id)
    }

    func createPost(_ post: PostBody) async throws -> PostBody {
        do {
            try await posts.insert(Post(post))
        } catch let error as DatabaseError where error.isDuplicateKey {
            throw StoreError.conflict
        }
        return post
    }

    func post(_ id: Int64) async throws -> PostBody {
        guard let post = try await posts.find(id) else { throw StoreError.notFound }
        return PostBody(post)
    }

    func posts(of userID: Int64, limit: Int) async throws -> [PostBody] {
        try await posts.fetchAll(Post.filter(\.userID == userID).order(.ascending(\.id)).limit(limit)).map(PostBody.init)
    }

    func searchPosts(_ text: String, limit: Int) async throws -> [PostBody] {
        try await posts.fetchAll(Post.filter(.like(\.title, "%" + text + "%")).order(.ascending(\.id)).limit(limit))
            .map(PostBody.init)
    }

    func updatePost(_ post: PostBody) async throws -> PostBody {
        _ = try await self.post(post.id)
        try await posts.update(Post(post))
        return post
    }

    func planModes() async throws -> [String: String] {
        let users = switch release {
        case .v1: try await database.repository(UserV1.self).planMode()
        case .v2: try await database.repository(UserV2.self).planMode()
        }
        return ["users": users.description, "posts": try await posts.planMode().description]
    }
}

extension UserBody {
    init(_ user: UserV1) { self.init(id: user.id, name: user.name, email: user.email, plan: nil) }
    init(_ user: UserV2) { self.init(id: user.id, name: user.displayName, email: user.email, plan: user.plan) }
}

extension UserV1 {
    init(_ body: UserBody) { self.init(id: body.id, name: body.name, email: body.email) }
}

extension UserV2 {
    init(_ body: UserBody) { self.init(id: body.id, displayName: body.name, email: body.email, plan: body.plan ?? "free") }
}

extension PostBody {
    init(_ post: Post) { self.init(id: post.id, userID: post.userID, title: post.title, body: post.body) }
}

extension Post {
    init(_ body: PostBody) { self.init(id: body.id, userID: body.userID, title: body.title, body: body.body) }
}
