import Driftless
import Foundation
import Testing

/// `insert(contentsOf:)` on every backend, however it batches: all rows or none, exact
/// values, and drift handled per write policy across chunk boundaries.
enum BatchInsertConformance {
    static func allOrNothing<D: TestDatabase>(in db: D) throws {
        try DriftConformance.createMembers(in: db, missing: [], rows: [])
        let members = db.blocking.repository(Member.self)
        // 1,000 rows: whole chunks and a tail of several sizes on a batching backend.
        let batch = (1...1_000).map(Member.sample)
        try members.insert(contentsOf: batch)
        #expect(try members.fetchAll(Member.order(.ascending(\.id))) == batch)
        try members.insert(contentsOf: [Member]())
        try members.insert(contentsOf: [Member.sample(1_001)])
        #expect(try members.count() == 1_001)

        // A duplicate key in a late chunk: the rows before it are not kept either.
        let failing = (1_002...1_600).map(Member.sample) + [Member.sample(500)] + (1_601...1_700).map(Member.sample)
        let error = #expect(throws: DatabaseError.self) { try members.insert(contentsOf: failing) }
        #expect(error?.kind == .uniqueViolation)
        #expect(try members.count() == 1_001)
        #expect(try members.find(Int64(1_002)) == nil)

        // Inside a transaction the batch belongs to it.
        #expect(throws: DatabaseError.self) {
            try db.blocking.transaction { tx in
                try tx.repository(Member.self).insert(contentsOf: (2_001...2_300).map(Member.sample))
                #expect(try tx.repository(Member.self).count() == 1_301)
                try tx.repository(Member.self).insert(contentsOf: [Member.sample(2_001)])
            }
        }
        #expect(try members.count() == 1_001)
    }

    static func driftAcrossChunks<D: TestDatabase>(in db: D) throws {
        try db.executeRaw(User.oldTableSQL.replacingOccurrences(of: "INTEGER", with: db.sqlType(.integer)))
        // The first chunk finds `plan` missing; every chunk then leaves it out (policy: warn).
        let users = (Int64(1)...600).map { id -> User in
            let email: String? = id % 7 == 0 ? "u\(id)@example.com" : nil
            return User(id: id, name: "user \(id)", email: email, plan: id % 2 == 0 ? "pro" : "free")
        }
        try db.blocking.repository(User.self).insert(contentsOf: users)
        let stored = try db.blocking.repository(User.self).fetchAll(User.order(.ascending(\.id)))
        #expect(stored == users.map { User(id: $0.id, name: $0.name, email: $0.email, plan: "free") })
        // A value the policy rejects, deep in the batch, writes nothing of it.
        let strict = (Int64(601)...1_000).map { id -> StrictUser in
            StrictUser(id: id, name: "strict \(id)", plan: id == 950 ? "pro" : "free")
        }
        #expect(throws: DriftlessError.valueRejected(table: TableName("users"), column: "plan", key: "id=950", value: "pro")) {
            try db.blocking.repository(StrictUser.self).insert(contentsOf: strict)
        }
        #expect(try db.blocking.repository(User.self).count() == 600)
    }
}
