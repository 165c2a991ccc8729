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

    /// Every storable value of every column type, generated: what `insert(contentsOf:)` stores
    /// (PostgreSQL's COPY, multi-row INSERTs, or row by row) reads back exactly as what one
    /// `insert` per record stores, and a value one `insert` refuses is refused in a batch
    /// too, naming its column and key, with nothing written.
    static func exactForEveryValue<D: TestDatabase>(in db: D) throws {
        try db.blocking.createMissingTables(for: [Sample.self])
        let samples = db.blocking.repository(Sample.self)
        var random = PropertyRandom.forSuite("batch insert values")
        let records = (1...PropertyRandom.cases(400)).map { Sample.random(id: Int64($0), using: &random) }
        let seed = "seed \(PropertyRandom.runSeed)"

        for record in records { try samples.insert(record) }
        let oneByOne = try samples.fetchAll(Sample.order(.ascending(\.id)))
        #expect(oneByOne.count == records.count, "\(seed)")
        try samples.deleteAll()
        try samples.insert(contentsOf: records)
        let batched = try samples.fetchAll(Sample.order(.ascending(\.id)))
        #expect(batched == oneByOne, "\(seed)")
        // Text, integers and bytes are exact on every backend.
        #expect(batched.map(\.text) == records.map(\.text), "\(seed)")
        #expect(batched.map(\.optionalText) == records.map(\.optionalText), "\(seed)")
        #expect(batched.map(\.integer) == records.map(\.integer), "\(seed)")
        #expect(batched.map(\.bytes) == records.map(\.bytes), "\(seed)")

        // NUL in text: stored by both paths alike, or refused by both.
        try samples.deleteAll()
        var withNul = records
        withNul[withNul.count * 2 / 3].text = "before\u{0}after"
        let key = "id=\(withNul[withNul.count * 2 / 3].id)"
        let single: DriftlessError?
        do {
            try samples.insert(withNul[withNul.count * 2 / 3])
            single = nil
        } catch let error as DriftlessError {
            single = error
        }
        try samples.deleteAll()
        if let single {
            let error = #expect(throws: DriftlessError.self) { try samples.insert(contentsOf: withNul) }
            #expect(error?.code == single.code && error?.code == .unrepresentableValue)
            #expect(error?.column == "text")
            #expect(error?.key == key)
            #expect(try samples.count() == 0)
            // The connection goes on as before.
            try samples.insert(contentsOf: records)
            #expect(try samples.count() == records.count)
        } else {
            try samples.insert(contentsOf: withNul)
            #expect(try samples.fetchAll(Sample.order(.ascending(\.id))).map(\.text) == withNul.map(\.text))
        }
    }

    /// One column of each kind of value a record can hold.
    struct Sample: Record, Equatable {
        var id: Int64
        var text: String
        var optionalText: String?
        var integer: Int64
        var optionalInteger: Int?
        var real: Double
        var flag: Bool
        var date: Date
        var bytes: [UInt8]
        var uuid: UUID?

        static let schema = RecordSchema<Sample>(table: "samples") {
            Column("id", \.id, primaryKey: true)
            Column("text", \.text, default: "")
            Column("optional_text", \.optionalText)
            Column("integer", \.integer, default: 0)
            Column("optional_integer", \.optionalInteger)
            Column("real", \.real, default: 0)
            Column("flag", \.flag, default: false)
            Column("date", \.date, default: Date(timeIntervalSince1970: 0))
            Column("bytes", \.bytes, default: [])
            Column("uuid", \.uuid)
        }

        init(row: Row) throws {
            id = try row.decode(at: 0)
            text = try row.decode(at: 1)
            optionalText = try row.decode(at: 2)
            integer = try row.decode(at: 3)
            optionalInteger = try row.decode(at: 4)
            real = try row.decode(at: 5)
            flag = try row.decode(at: 6)
            date = try row.decode(at: 7)
            bytes = try row.decode(at: 8)
            uuid = try row.decode(at: 9)
        }

        init(id: Int64, text: String, optionalText: String?, integer: Int64, optionalInteger: Int?, real: Double,
             flag: Bool, date: Date, bytes: [UInt8], uuid: UUID?) {
            self.id = id
            self.text = text
            self.optionalText = optionalText
            self.integer = integer
            self.optionalInteger = optionalInteger
            self.real = real
            self.flag = flag
            self.date = date
            self.bytes = bytes
            self.uuid = uuid
        }

        /// Text from pieces that COPY's text format and SQL quoting treat specially.
        static let pieces = ["\\", "\t", "\n", "\r", "\r\n", "\\N", "\\.", "\\x00", "'", "\"", ",", "|", " ",
                             "é", "e\u{301}", "日本", "🇸🇪", "\u{FEFF}", "\u{7F}", "NULL", "a", "Z", "0"]

        static func random(id: Int64, using random: inout PropertyRandom) -> Sample {
            func text() -> String {
                (0..<Int.random(in: 0...12, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            }
            let extremes: [Int64] = [.min, .max, 0, -1, 1]
            let reals: [Double] = [0, -0.0, 1.5, -2.25e-300, 1.7976931348623157e308, .infinity, -.infinity, 0.1]
            let milliseconds = Int64.random(in: -62_135_596_800_000...253_402_300_799_000, using: &random)
            return Sample(
                id: id, text: text(), optionalText: Bool.random(using: &random) ? nil : text(),
                integer: Bool.random(using: &random) ? extremes.randomElement(using: &random)! : Int64.random(in: .min ... .max, using: &random),
                optionalInteger: Bool.random(using: &random) ? nil : Int.random(in: -1_000_000...1_000_000, using: &random),
                real: Bool.random(using: &random) ? reals.randomElement(using: &random)!
                    : Double(Int.random(in: -1_000_000_000...1_000_000_000, using: &random)) / 1_024,
                flag: Bool.random(using: &random),
                date: Date(timeIntervalSince1970: Double(milliseconds) / 1_000),
                bytes: (0..<Int.random(in: 0...40, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) },
                uuid: Bool.random(using: &random) ? nil : UUID())
        }
    }
}
