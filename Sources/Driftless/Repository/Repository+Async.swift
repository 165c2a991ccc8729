/// The `async` forms of ``Repository``'s methods. Each runs the synchronous work on a thread
/// of the backend's, so C calls never block Swift's cooperative thread pool.
extension Repository {
    private func reading<T: Sendable>(
        _ body: @escaping @Sendable (RecordExecutor<R, Database.Connection>) throws -> T
    ) async throws -> T {
        let context = database.driftContext
        return try await database.read { try body(RecordExecutor(connection: $0, context: context)) }
    }

    private func writing<T: Sendable>(
        _ body: @escaping @Sendable (RecordExecutor<R, Database.Connection>) throws -> T
    ) async throws -> T {
        let context = database.driftContext
        return try await database.write { try body(RecordExecutor(connection: $0, context: context)) }
    }

    public func find(_ key: some DatabaseValueConvertible) async throws -> R? {
        let key = key.databaseValue
        return try await reading { try $0.find(key: key) }
    }

    public func find(key: [DatabaseValue]) async throws -> R? {
        try await reading { try $0.find(key: key) }
    }

    public func fetchOne(_ query: Query<R> = Query()) async throws -> R? {
        let query = query.limit(1, offset: query.offset)
        return try await reading { try $0.fetchAll(query).first }
    }

    public func fetchAll(_ query: Query<R> = Query()) async throws -> [R] {
        try await reading { try $0.fetchAll(query) }
    }

    public func count(_ query: Query<R> = Query()) async throws -> Int {
        try await reading { try $0.count(query) }
    }

    public func exists(_ query: Query<R> = Query()) async throws -> Bool {
        try await reading { try $0.exists(query) }
    }

    public func fetchAll(sql: String, arguments: [DatabaseValue] = []) async throws -> [R] {
        try await reading { try $0.fetchAll(sql: sql, arguments: arguments) }
    }

    public func insert(_ record: R) async throws {
        try await writing { try $0.insert(CollectionOfOne(record)) }
    }

    public func insertAndFetch(_ record: R) async throws -> R {
        try await writing { try $0.insertAndFetch(record) }
    }

    public func insert(contentsOf records: [R]) async throws {
        let database = database
        try await writing { executor in
            try database.inTransaction(on: executor.connection) { try executor.insert(records) }
        }
    }

    public func upsert(_ record: R) async throws {
        try await writing { try $0.insert(CollectionOfOne(record), upsert: true) }
    }

    public func update(_ record: R) async throws {
        try await writing { try $0.update(record) }
    }

    @discardableResult
    public func delete(_ record: R) async throws -> Bool {
        let key = try R.schema.primaryKey(of: record)
        return try await writing { try $0.delete(key: key) }
    }

    @discardableResult
    public func deleteAll(_ query: Query<R> = Query()) async throws -> Int {
        try await writing { try $0.deleteAll(query) }
    }
}
