import Driftless
import Foundation
import Testing

/// The repository API on a table that matches its record, for every backend.
enum RepositoryConformance {
    static func crud<D: TestDatabase>(in db: D) throws {
        try DriftConformance.createMembers(in: db, missing: [], rows: [])
        let members = db.blocking.repository(Member.self)
        try members.insert(contentsOf: (1...5).map(Member.sample))
        #expect(try members.count() == 5)
        #expect(try members.find(Int64(2)) == Member.sample(2))
        #expect(try members.find(key: [.integer(3)]) == Member.sample(3))
        #expect(try members.find(Int64(42)) == nil)

        var second = Member.sample(2)
        second.name = "changed"
        try members.update(second)
        #expect(try members.find(Int64(2))?.name == "changed")
        #expect(throws: DriftlessError.recordNotFound(table: TableName("members"), key: "id=77")) {
            try members.update(Member.sample(77))
        }

        var upserted = Member.sample(3)
        upserted.score = 100
        try members.upsert(upserted)
        try members.upsert(Member.sample(6))
        #expect(try members.find(Int64(3))?.score == 100)
        #expect(try members.count() == 6)

        #expect(try members.delete(Member.sample(6)))
        #expect(try !members.delete(Member.sample(6)))
        #expect(try members.deleteAll(Member.filter(\.id > 3)) == 2)
        #expect(try members.fetchAll().map(\.id) == [1, 2, 3])

        var visited: [Int64] = []
        try members.forEach(Member.order(.descending(\.id))) { visited.append($0.id) }
        #expect(visited == [3, 2, 1])

        // Read back as stored: the database-assigned key and column defaults.
        try db.executeRaw("CREATE TABLE notes (id \(db.assignedKeySQL), body TEXT NOT NULL, created_at \(db.sqlType(.timestamp)), payload \(db.sqlType(.blob)))")
        let notes = db.blocking.repository(Note.self)
        let stored = try notes.insertAndFetch(Note(id: nil, body: "first", createdAt: nil, payload: [1, 2, 3]))
        #expect(stored.id != nil)
        #expect(stored.body == "first")
        #expect(stored.payload == [1, 2, 3])
        #expect(try notes.find(stored.id!) == stored)
        try notes.insert(contentsOf: [Note(id: nil, body: "second", createdAt: nil, payload: nil),
                                      Note(id: 100, body: "explicit", createdAt: nil, payload: nil),
                                      Note(id: nil, body: "third", createdAt: nil, payload: nil)])
        #expect(try notes.fetchAll(Note.order(.ascending(\.body))).map(\.body) == ["explicit", "first", "second", "third"])
        #expect(try notes.find(Int64(100))?.body == "explicit")
    }

    static func queries<D: TestDatabase>(in db: D) throws {
        try DriftConformance.createMembers(in: db, missing: [], rows: (1...10).map(Member.sample))
        let members = db.blocking.repository(Member.self)
        func ids(_ query: Query<Member>) throws -> [Int64] { try members.fetchAll(query).map(\.id) }
        #expect(try ids(Member.filter(\.age == 23)) == [3])
        #expect(try ids(Member.filter(\.age != 23).order(.ascending(\.id)).limit(2)) == [1, 2])
        #expect(try ids(Member.filter(\.age < 23).order(.ascending(\.id))) == [1, 2])
        #expect(try ids(Member.filter(\.age <= 22 || \.age >= 29).order(.ascending(\.id))) == [1, 2, 9, 10])
        #expect(try ids(Member.filter(.in(\.id, [4, 7, 99])).order(.ascending(\.id))) == [4, 7])
        #expect(try ids(Member.filter(.in(\.id, [Int64]()))) == [])
        #expect(try ids(Member.filter(.isNull(\.email)).order(.ascending(\.id))) == [2, 4, 6, 8, 10])
        #expect(try ids(Member.filter(.isNotNull(\.email)).order(.ascending(\.id))) == [1, 3, 5, 7, 9])
        #expect(try ids(Member.filter(\.email != nil).order(.ascending(\.id))) == [1, 3, 5, 7, 9])
        #expect(try ids(Member.filter(.like(\.name, "member 1%")).order(.ascending(\.id))) == [1, 10])
        #expect(try ids(Member.filter(!(\.active == true)).order(.ascending(\.id))) == [3, 6, 9])
        #expect(try ids(Member.order(.descending(\.score)).limit(3, offset: 1)) == [9, 8, 7])
        #expect(try members.fetchOne(Member.order(.descending(\.age)))?.id == 10)
        #expect(try members.count(Member.filter(\.active == false)) == 3)
        #expect(try members.exists(Member.filter(\.name == "member 5")))
        #expect(try !members.exists(Member.filter(\.name == "nobody")))
        #expect(try ids(Member.filter(.constant(false))) == [])
    }

    static func transactions<D: TestDatabase>(in db: D) throws {
        try DriftConformance.createMembers(in: db, missing: [], rows: [])
        #expect(throws: Abort.self) {
            try db.blocking.transaction { tx in
                try tx.repository(Member.self).insert(Member.sample(1))
                throw Abort()
            }
        }
        #expect(try db.blocking.repository(Member.self).count() == 0)
        try db.blocking.transaction { tx in
            let members = tx.repository(Member.self)
            try members.insert(Member.sample(1))
            _ = try? tx.savepoint { _ in
                try members.insert(Member.sample(2))
                throw Abort()
            }
            #expect(try members.count() == 1)
        }
        #expect(try db.blocking.repository(Member.self).fetchAll() == [Member.sample(1)])
    }

    /// Identifiers that are keywords or hold quotes, spaces and non-ASCII letters, and
    /// values that look like SQL, all round-trip without being interpreted.
    static func hostileNamesAndValues<D: TestDatabase>(in db: D) throws {
        try db.executeRaw("CREATE TABLE \"order\" (id \(db.sqlType(.integer)) PRIMARY KEY, \"select \"\"from\"\" 'where'\" TEXT NOT NULL, \"naïve café ünïcode\" TEXT NOT NULL)")
        let orders = db.blocking.repository(Order.self)
        let hostile = Order(id: 1, text: "'); DROP TABLE \"order\"; --", quoted: "Robert'); DROP TABLE \"order\";--")
        try orders.insert(hostile)
        #expect(try orders.find(Int64(1)) == hostile)
        #expect(try orders.count(Order.filter(\.text == "'); DROP TABLE \"order\"; --")) == 1)
        #expect(try orders.count(Order.filter(\.quoted == "Robert'); DROP TABLE \"order\";--")) == 1)
        #expect(try orders.planMode() == .full)
        #expect(try orders.count(Order.filter(.like(\.text, "%DROP%"))) == 1)
    }

    static func rawSQLMapsByName<D: TestDatabase>(in db: D) throws {
        try db.executeRaw(User.oldTableSQL)
        try db.executeRaw("INSERT INTO users (id, name, email) VALUES (1, 'Ada', NULL), (2, 'Bob', 'b@example.com')")
        let users = db.blocking.repository(User.self)
        let placeholder = db.driftContext.dialect.placeholder(1)
        let found = try users.fetchAll(sql: "SELECT email, name, id FROM users WHERE id >= \(placeholder) ORDER BY id", arguments: [1])
        #expect(found == [User(id: 1, name: "Ada", email: nil, plan: "free"),
                          User(id: 2, name: "Bob", email: "b@example.com", plan: "free")])
    }

    static func invalidRecord<D: TestDatabase>(in db: D) throws {
        #expect(throws: DriftlessError.self) { try db.blocking.repository(Broken.self).fetchAll() }
        do {
            _ = try db.blocking.repository(Broken.self).fetchAll()
        } catch let error as DriftlessError {
            #expect(error.code == .invalidRecord)
            #expect(error.record == "Broken")
            #expect(error.detail?.contains("\"count\"") == true)
        }
    }

    static func asyncAPI<D: TestDatabase>(in db: D) async throws {
        try DriftConformance.createMembers(in: db, missing: ["score"], rows: [])
        let members = db.repository(Member.self)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for id in Int64(1)...20 {
                group.addTask { try await members.insert(Member.sample(id)) }
            }
            try await group.waitForAll()
        }
        #expect(try await members.count() == 20)
        let found = try await members.find(Int64(7))
        #expect(found == Member.sample(7).reading(withMissing: ["score"]))
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<8 { group.addTask { try await members.fetchAll().count } }
            for try await count in group { #expect(count == 20) }
        }
        let total = try await db.transaction { tx in try await tx.repository(Member.self).count() }
        #expect(total == 20)
    }
}

private struct Order: Record, Equatable {
    var id: Int64
    var text: String
    var quoted: String

    init(id: Int64, text: String, quoted: String) {
        self.id = id
        self.text = text
        self.quoted = quoted
    }

    init(row: Row) throws {
        id = try row.decode(at: 0)
        text = try row.decode(at: 1)
        quoted = try row.decode(at: 2)
    }

    static let schema = RecordSchema<Order>(table: "order") {
        Column("id", \.id, primaryKey: true)
        Column("select \"from\" 'where'", \.text, default: "")
        Column("naïve café ünïcode", \.quoted, default: "x'); DROP TABLE \"order\"; --")
    }
}

private struct Broken: Record, Codable {
    var id: Int64
    var count: Int
    static let schema = RecordSchema<Broken>(table: "broken") {
        Column("id", \.id, primaryKey: true)
        Column("count", \.count)
    }
}

private struct Abort: Error {}
