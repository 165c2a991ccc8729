import Driftless

/// The store as an app without drift tolerance writes it: every statement names the
/// release's full column list, and an error (a column the database lacks) reaches the caller.
/// The rollout runs it beside ``DriftlessStore`` to show what tolerance saves.
struct PlainStore<Database: DatabaseDriver>: Store {
    let database: Database
    let release: Release

    /// The release's user columns, as its SQL names them.
    private var userColumns: String {
        switch release {
        case .v1: "id, name, email"
        case .v2: "id, display_name, email, plan"
        }
    }

    private func placeholders(_ count: Int, from first: Int = 1) -> String {
        (first..<first + count).map { database.driftContext.dialect.placeholder($0) }.joined(separator: ", ")
    }

    private func p(_ position: Int) -> String { database.driftContext.dialect.placeholder(position) }

    private func userValues(_ user: UserBody) -> [DatabaseValue] {
        switch release {
        case .v1: [user.id.databaseValue, user.name.databaseValue, user.email.databaseValue]
        case .v2: [user.id.databaseValue, user.name.databaseValue, user.email.databaseValue, (user.plan ?? "free").databaseValue]
        }
    }

    private func fetchUsers(_ tail: String, _ arguments: [DatabaseValue]) async throws -> [UserBody] {
        let sql = "SELECT \(userColumns) FROM users " + tail
        return switch release {
        case .v1: try await database.repository(UserV1.self).fetchAll(sql: sql, arguments: arguments).map(UserBody.init)
        case .v2: try await database.repository(UserV2.self).fetchAll(sql: sql, arguments: arguments).map(UserBody.init)
        }
    }

    private func fetchPosts(_ tail: String, _ arguments: [DatabaseValue]) async throws -> [PostBody] {
        try await database.repository(Post.self)
            .fetchAll(sql: "SELECT id, user_id, title, body FROM posts " + tail, arguments: arguments)
            .map(PostBody.init)
    }

    func createUser(_ user: UserBody) async throws -> UserBody {
        let values = userValues(user)
        do {
            try await database.execute(
                "INSERT INTO users (\(userColumns)) VALUES (\(placeholders(values.count)))", arguments: values)
        } catch let error as DatabaseError where error.isDuplicateKey {
            throw StoreError.conflict
        }
        return try await self.user(user.id)
    }

    func user(_ id: Int64) async throws -> UserBody {
        guard let user = try await fetchUsers("WHERE id = \(p(1))", [id.databaseValue]).first else {
            throw StoreError.notFound
        }
        return user
    }

    func users(after id: Int64, limit: Int) async throws -> [UserBody] {
        try await fetchUsers("WHERE id > \(p(1)) ORDER BY id LIMIT \(limit)", [id.databaseValue])
    }

    func searchUsers(_ text: String, limit: Int) async throws -> [UserBody] {
        let name = release == .v1 ? "name" : "display_name"
        return try await fetchUsers("WHERE \(name) LIKE \(p(1)) ORDER BY id LIMIT \(limit)", ["%\(text)%".databaseValue])
    }

    func updateUser(_ user: UserBody) async throws -> UserBody {
        let values = userValues(user)
        let names = userColumns.split(separator: ", ").dropFirst()
        let assignments = names.enumerated().map { "\($0.element) = \(p($0.offset + 1))" }.joined(separator: ", ")
        let changed = try await database.execute(
            "UPDATE users SET \(assignments) WHERE id = \(p(values.count))", arguments: Array(values.dropFirst()) + [values[0]])
        guard changed > 0 else { throw StoreError.notFound }
        return try await self.user(user.id)
    }

    func createPost(_ post: PostBody) async throws -> PostBody {
        do {
            try await database.execute(
                "INSERT INTO posts (id, user_id, title, body) VALUES (\(placeholders(4)))",
                arguments: [post.id.databaseValue, post.userID.databaseValue, post.title.databaseValue, post.body.databaseValue])
        } catch let error as DatabaseError where error.isDuplicateKey {
            throw StoreError.conflict
        }
        return post
    }

    func post(_ id: Int64) async throws -> PostBody {
        guard let post = try await fetchPosts("WHERE id = \(p(1))", [id.databaseValue]).first else { throw StoreError.notFound }
        return post
    }

    func posts(of userID: Int64, limit: Int) async throws -> [PostBody] {
        try await fetchPosts("WHERE user_id = \(p(1)) ORDER BY id LIMIT \(limit)", [userID.databaseValue])
    }

    func searchPosts(_ text: String, limit: Int) async throws -> [PostBody] {
        try await fetchPosts("WHERE title LIKE \(p(1)) ORDER BY id LIMIT \(limit)", ["%\(text)%".databaseValue])
    }

    func updatePost(_ post: PostBody) async throws -> PostBody {
        let changed = try await database.execute(
            "UPDATE posts SET user_id = \(p(1)), title = \(p(2)), body = \(p(3)) WHERE id = \(p(4))",
            arguments: [post.userID.databaseValue, post.title.databaseValue, post.body.databaseValue, post.id.databaseValue])
        guard changed > 0 else { throw StoreError.notFound }
        return post
    }

    func planModes() async throws -> [String: String] {
        ["users": "plain", "posts": "plain"]
    }
}
