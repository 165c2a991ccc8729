import Driftless
import Foundation
import Synchronization
import Testing

/// A ticket whose newer columns ship ahead of their migration with `.keep`: one of each type.
struct Ticket: Record, Equatable {
    var id: Int64
    var title: String
    var count: Int64
    var ratio: Double
    var at: Date
    var data: [UInt8]
    var label: String
    var flag: Bool
    var note: String?

    static let keptColumns: [(name: String, type: ColumnType)] = [
        ("count", .integer), ("ratio", .real), ("at", .timestamp), ("data", .blob), ("label", .text),
        ("flag", .boolean), ("note", .text),
    ]

    static let schema = RecordSchema<Ticket>(table: "tickets") {
        Column("id", \.id, primaryKey: true)
        Column("title", \.title, default: "")
        Column("count", \.count, default: 0, onMissingWrite: .keep)
        Column("ratio", \.ratio, default: 0, onMissingWrite: .keep)
        Column("at", \.at, default: Date(timeIntervalSince1970: 0), onMissingWrite: .keep)
        Column("data", \.data, default: [], onMissingWrite: .keep)
        Column("label", \.label, default: "", onMissingWrite: .keep)
        Column("flag", \.flag, default: false, onMissingWrite: .keep)
        Column("note", \.note, onMissingWrite: .keep)
    }

    init(id: Int64, title: String, count: Int64, ratio: Double, at: Date, data: [UInt8], label: String, flag: Bool, note: String?) {
        (self.id, self.title, self.count, self.ratio, self.at, self.data, self.label, self.flag, self.note)
            = (id, title, count, ratio, at, data, label, flag, note)
    }

    init(row: Row) throws {
        self.init(id: try row.decode(at: 0), title: try row.decode(at: 1), count: try row.decode(at: 2),
                  ratio: try row.decode(at: 3), at: try row.decode(at: 4), data: try row.decode(at: 5),
                  label: try row.decode(at: 6), flag: try row.decode(at: 7), note: try row.decode(at: 8))
    }

    /// Generated values: integers beyond 2^53, every kind of double but NaN (SQLite cannot
    /// hold it once moved), dates across the storable range, any bytes, any Unicode text.
    static func generated(id: Int64, using random: inout PropertyRandom, sqlite: Bool) -> Ticket {
        var ratio = HostileValues.double(using: &random)
        if ratio.isNaN { ratio = -.infinity }
        var at = HostileValues.date(using: &random)
        if !HostileValues.isStorable(at) { at = Date(timeIntervalSince1970: 1_700_000_000.123) }
        return Ticket(
            id: id, title: "t\(id)", count: HostileValues.integer(using: &random), ratio: ratio, at: at,
            data: HostileValues.blob(using: &random), label: HostileText.string(using: &random, allowsNUL: sqlite),
            flag: random.chance(0.5), note: random.chance(0.3) ? nil : HostileText.string(using: &random, allowsNUL: sqlite))
    }

    /// Equal as stored: dates to the millisecond, -0.0 as 0.0 once in a SQLite REAL column.
    func matches(_ other: Ticket, sqliteReal: Bool) -> Bool {
        id == other.id && title == other.title && count == other.count
            && HostileValues.sameDouble(ratio, other.ratio, isSQLite: sqliteReal)
            && HostileValues.isStoredForm(at, of: other.at) && data == other.data
            && HostileText.same(label, other.label) && flag == other.flag
            && (note == nil) == (other.note == nil) && HostileText.same(note ?? "", other.note ?? "")
    }
}

/// The same table as an old binary without `.keep` sees it: only real columns.
struct PlainTicket: Record {
    var ticket: Ticket
    static let schema = RecordSchema<PlainTicket>(table: "tickets") {
        Column("id", \.ticket.id, primaryKey: true)
        Column("title", \.ticket.title, default: "")
        Column("count", \.ticket.count, default: 0)
        Column("ratio", \.ticket.ratio, default: 0)
        Column("at", \.ticket.at, default: Date(timeIntervalSince1970: 0))
        Column("data", \.ticket.data, default: [])
        Column("label", \.ticket.label, default: "")
        Column("flag", \.ticket.flag, default: false)
        Column("note", \.ticket.note)
    }
    init(row: Row) throws { ticket = try Ticket(row: row) }
}

/// Lossless early writes (`.keep`): every backend.
enum OverflowConformance {
    static func createTickets<D: TestDatabase>(in db: D, withOverflow: Bool = true) throws {
        try db.executeRaw("CREATE TABLE tickets (id \(db.sqlType(.integer)) PRIMARY KEY, title \(db.sqlType(.text)) NOT NULL DEFAULT ''"
            + (withOverflow ? ", driftless_overflow \(db.overflowSQLType)" : "") + ")")
    }

    static func addKeptColumns<D: TestDatabase>(in db: D) throws {
        for (name, type) in Ticket.keptColumns {
            try db.executeRaw("ALTER TABLE tickets ADD COLUMN \"\(name)\" \(db.sqlType(type))")
        }
    }

    static func overflowKeyCount<D: TestDatabase>(in db: D) throws -> Int {
        let rows = try db.blocking.repository(OverflowText.self).fetchAll(
            sql: "SELECT id, CAST(driftless_overflow AS TEXT) AS json FROM tickets", arguments: [])
        return rows.reduce(0) { count, row in count + (row.json.flatMap(OverflowCodec.decodeObject)?.count ?? 0) }
    }

    /// Write while missing → read back and filter → the columns appear → reads still see the
    /// kept values → move → values in the real columns, overflow keys gone.
    static func roundTrip<D: TestDatabase>(in db: D) async throws {
        try createTickets(in: db)
        var random = PropertyRandom.forSuite("overflow round trip")
        let sqlite = db.isSQLite
        var expected = (1...80).map { Ticket.generated(id: Int64($0), using: &random, sqlite: sqlite) }
        let tickets = db.repository(Ticket.self)
        try await tickets.insert(contentsOf: Array(expected[0..<40]))
        for ticket in expected[40..<60] { try await tickets.insert(ticket) }
        for ticket in expected[60...] { try await tickets.upsert(ticket) }
        for index in stride(from: 0, to: 80, by: 3) {
            let id = expected[index].id
            expected[index] = Ticket.generated(id: id, using: &random, sqlite: sqlite)
            if index % 2 == 0 { try await tickets.update(expected[index]) } else { try await tickets.upsert(expected[index]) }
        }
        let replay = PropertyRandom.replay("OverflowConformance")

        func expectAll(_ label: String, sqliteReal: Bool) async throws {
            let read = try await tickets.fetchAll(Ticket.order(.ascending(\.id)))
            #expect(read.count == expected.count, "\(label)")
            for (got, want) in zip(read, expected) where !got.matches(want, sqliteReal: sqliteReal) {
                Issue.record("\(label): row \(want.id) read \(got), wrote \(want); \(replay)")
            }
            // Filters and ordering see kept values (and the real ones after the move).
            let probe = expected[7]
            #expect(try await tickets.count(Ticket.filter(\.count > 0)) == expected.filter { $0.count > 0 }.count, "\(label) count >")
            #expect(try await tickets.count(Ticket.filter(\.count == probe.count)) == expected.filter { $0.count == probe.count }.count)
            #expect(try await tickets.count(Ticket.filter(\.label == probe.label)) == expected.filter { HostileText.same($0.label, probe.label) }.count, "\(label) label ==")
            #expect(try await tickets.count(Ticket.filter(\.flag == true)) == expected.filter(\.flag).count, "\(label) flag")
            #expect(try await tickets.count(Ticket.filter(\.note == nil)) == expected.filter { $0.note == nil }.count, "\(label) note nil")
            #expect(try await tickets.count(Ticket.filter(\.ratio >= 0)) == expected.filter { $0.ratio >= 0 }.count, "\(label) ratio >=")
            let ordered = try await tickets.fetchAll(Ticket.order(.descending(\.count), .ascending(\.id))).map(\.id)
            #expect(ordered == expected.sorted { ($0.count, $1.id) > ($1.count, $0.id) }.map(\.id), "\(label) order")
        }

        #expect(try await tickets.planMode() == .projected(missing: Ticket.keptColumns.map(\.name)))
        try await expectAll("while missing", sqliteReal: false)

        // The migration runs: until the values move, the full plan reads them from the overflow.
        try addKeptColumns(in: db)
        db.invalidateSchema()
        try await expectAll("columns added, not moved", sqliteReal: false)
        #expect(try await tickets.planMode() == .full)

        // A write of the real columns removes the row's keys: it is the newest value.
        expected[5] = Ticket.generated(id: 6, using: &random, sqlite: sqlite)
        try await tickets.update(expected[5])
        #expect(try overflowKeyCount(in: db) == 79 * Ticket.keptColumns.count)

        let report = try await db.moveOverflowValues(in: TableName("tickets"), batchSize: 7)
        #expect(report.values == 79 * Ticket.keptColumns.count)
        #expect(report.rows == 79)
        #expect(report.batches == 12)
        #expect(try overflowKeyCount(in: db) == 0)
        try await expectAll("after the move", sqliteReal: sqlite)
        // An old binary, reading only real columns, sees every value.
        let plain = try await db.repository(PlainTicket.self).fetchAll(PlainTicket.order(.ascending(\.ticket.id)))
        for (got, want) in zip(plain.map(\.ticket), expected) where !got.matches(want, sqliteReal: sqlite) {
            Issue.record("real columns: row \(want.id) holds \(got), wrote \(want); \(replay)")
        }
        // A second run moves nothing.
        #expect(try await db.moveOverflowValues(in: TableName("tickets")).values == 0)
    }

    /// `.keep` without an overflow column never drops a value silently.
    static func withoutOverflowColumn<D: TestDatabase>(in db: D) async throws {
        try createTickets(in: db, withOverflow: false)
        let tickets = db.repository(Ticket.self)
        let defaults = Ticket(id: 1, title: "a", count: 0, ratio: 0, at: Date(timeIntervalSince1970: 0), data: [], label: "",
                              flag: false, note: nil)
        try await tickets.insert(defaults)  // only defaults: nothing to keep, nothing lost
        var kept = defaults
        kept.id = 2
        kept.label = "kept"
        await #expect {
            try await tickets.insert(kept)
        } throws: { error in
            guard let error = error as? DriftlessError else { return false }
            return error.code == .noOverflowColumn && error.column == "label" && error.table == TableName("tickets")
                && error.key == "id=2" && "\(error)".contains("driftless_overflow")
        }
        #expect(try await tickets.count() == 1)
        #expect(try await tickets.find(Int64(1)) == defaults)
    }

    /// Writers on the projected plan (overflow) and on the full plan (real columns) while
    /// the mover runs: the final value of every row and column is its last acknowledged write.
    static func concurrentWritersDuringMove<D: TestDatabase>(in db: D, projected other: D) async throws -> String {
        try createTickets(in: db)
        let rowCount = 40
        let tickets = db.repository(Ticket.self)
        var seed = PropertyRandom.forSuite("overflow concurrency")
        let initial = (1...rowCount).map { Ticket.generated(id: Int64($0), using: &seed, sqlite: db.isSQLite) }
        try await tickets.insert(contentsOf: initial)
        // The other process is on the projected plan, past its first catch-up check.
        let stale = other.repository(Ticket.self)
        // A drifted plan found cached makes the first catch-up check (the next is an hour away).
        for _ in 0..<50 where other.driftContext.statistics.catchUpChecksRun == 0 {
            _ = try await stale.find(Int64(1))
        }
        #expect(other.driftContext.statistics.catchUpChecksRun == 1)
        try addKeptColumns(in: db)
        db.invalidateSchema()
        #expect(try await stale.planMode().isDrifted)

        let writerCount = 4
        let writesPerWriter = 150
        let writersDone = Atomic<Bool>(false)
        let moverPasses = Atomic<Int>(0)
        let moved = Atomic<Int>(0)
        let mover = Task {
            while !writersDone.load(ordering: .acquiring) {
                let report = try await db.moveOverflowValues(in: TableName("tickets"), batchSize: 16)
                moverPasses.add(1, ordering: .relaxed)
                moved.add(report.values, ordering: .relaxed)
                // Passes apart, so that rows see several writes of both kinds between moves.
                try await Task.sleep(for: .milliseconds(10))
            }
        }
        let finals = try await withThrowingTaskGroup(of: [Int64: Ticket].self) { group in
            for writer in 0..<writerCount {
                group.addTask {
                    var random = PropertyRandom(seed: UInt64(writer) &* 0x9E37_79B9 &+ 17)
                    var last: [Int64: Ticket] = [:]
                    let owned = initial.filter { Int($0.id) % writerCount == writer }
                    for ticket in owned { last[ticket.id] = ticket }
                    for step in 0..<writesPerWriter {
                        var ticket = Ticket.generated(id: random.pick(owned).id, using: &random, sqlite: db.isSQLite)
                        ticket.count = Int64(writer * 1_000_000 + step)  // every write distinct
                        if random.chance(0.5) {
                            try await stale.update(ticket)  // overflow
                        } else {
                            try await tickets.update(ticket)  // real columns, key removed
                        }
                        last[ticket.id] = ticket
                    }
                    return last
                }
            }
            var all: [Int64: Ticket] = [:]
            for try await part in group { all.merge(part) { $1 } }
            return all
        }
        writersDone.store(true, ordering: .releasing)
        try await mover.value
        let final = try await db.moveOverflowValues(in: TableName("tickets"), batchSize: 16)
        moved.add(final.values, ordering: .relaxed)
        #expect(try overflowKeyCount(in: db) == 0)

        let stored = try await db.repository(PlainTicket.self).fetchAll(PlainTicket.order(.ascending(\.ticket.id))).map(\.ticket)
        #expect(stored.count == rowCount)
        var lost = 0
        for ticket in stored {
            guard let want = finals[ticket.id], ticket.matches(want, sqliteReal: db.isSQLite) else {
                lost += 1
                Issue.record("row \(ticket.id) holds \(ticket), last acknowledged write was \(String(describing: finals[ticket.id]))")
                continue
            }
        }
        #expect(lost == 0)
        let statistics = other.driftContext.statistics
        #expect(try await stale.planMode().isDrifted, "the other process stayed on its projected plan throughout (\(statistics.driftErrorsRecovered) drift errors, \(statistics.tablesReflected) reflections, \(statistics.catchUpChecksRun) checks)")
        #expect(moverPasses.load(ordering: .relaxed) >= 1)
        return "\(writerCount * writesPerWriter) writes over \(rowCount) rows, \(moverPasses.load(ordering: .relaxed) + 1) mover passes moved \(moved.load(ordering: .relaxed)) values, \(lost) lost"
    }
}

/// A raw read of the overflow's text.
struct OverflowText: Record, Codable {
    var id: Int64
    var json: String?
    static let schema = RecordSchema<OverflowText>(table: "tickets") {
        Column("id", \.id, primaryKey: true)
        Column("json", \.json)
    }
}
