import Driftless
import DriftlessPostgres
import Foundation
import Testing

/// Hostile names, values and SQL, for every backend: the exact result, or a typed error
/// naming what went wrong, never SQL the caller did not write.
enum HostileInputConformance {
    static func secrets<D: TestDatabase>(in db: D) throws {
        try db.executeRaw("CREATE TABLE secrets (id \(db.sqlType(.integer)) PRIMARY KEY, note \(db.sqlType(.text)) NOT NULL)")
        try db.executeRaw("INSERT INTO secrets (id, note) VALUES (1, 'top secret')")
    }

    static func secretsAreIntact<D: TestDatabase>(in db: D) throws {
        let notes = try db.read { connection in
            let statement = try connection.prepare("SELECT note FROM secrets ORDER BY id")
            defer { statement.reset() }
            var notes: [DatabaseValue] = []
            while try statement.step() { notes.append(statement.value(at: 0)) }
            return notes
        }
        #expect(notes == [.text("top secret")])
    }

    /// A `"` or `'` sharing a grapheme cluster with U+0301 after it or U+0600 before it is
    /// still a quote: table and column names and defaults holding them stay names and
    /// values (on main, the table name read another table's rows, and the default smuggled a
    /// subquery into the projected plan).
    static func quotesInGraphemeClusters<D: TestDatabase>(in db: D) throws {
        try secrets(in: db)
        let name = ClusterQuoted.schema.table.name
        try db.executeRaw("CREATE TABLE \(db.driftContext.dialect.quote(name)) (id \(db.sqlType(.integer)) PRIMARY KEY, \(db.driftContext.dialect.quote(ClusterQuoted.valueColumn)) \(db.sqlType(.text)) NOT NULL)")
        let rows = db.blocking.repository(ClusterQuoted.self)
        try rows.insert(contentsOf: [ClusterQuoted(id: 1, value: "one\u{600}'"), ClusterQuoted(id: 2, value: "two\"\u{301}")])
        #expect(try rows.fetchAll(ClusterQuoted.order(.ascending(\.id))).map(\.value) == ["one\u{600}'", "two\"\u{301}"])
        #expect(try rows.count(ClusterQuoted.filter(\.value == "two\"\u{301}")) == 1)
        #expect(try rows.delete(key: [.integer(1)]))
        #expect(try rows.fetchAll().map(\.id) == [2], "delete(key:) deleted more than its row")
        // The default is served as written, not run as SQL.
        try db.executeRaw("CREATE TABLE cluster_default (id \(db.sqlType(.integer)) PRIMARY KEY)")
        try db.executeRaw("INSERT INTO cluster_default (id) VALUES (1)")
        let projected = try db.blocking.repository(ClusterDefault.self).fetchAll()
        #expect(projected.map(\.missing) == [ClusterDefault.hostileDefault])
        #expect(try db.blocking.repository(ClusterDefault.self).count(ClusterDefault.filter(\.missing == ClusterDefault.hostileDefault)) == 1)
        try secretsAreIntact(in: db)
    }

    /// NUL: a name holding it is an invalid record; text holding it round-trips on SQLite and
    /// is a typed error naming table, column and key on PostgreSQL (which would cut it
    /// short), with nothing written and no filter run on another value.
    static func nul<D: TestDatabase>(in db: D) throws {
        let invalid = #expect(throws: DriftlessError.self) { try db.blocking.repository(NulColumn.self).fetchAll() }
        #expect(invalid?.code == .invalidRecord)
        #expect(invalid?.detail?.contains("NUL") == true)
        try db.executeRaw("CREATE TABLE texts (id \(db.sqlType(.integer)) PRIMARY KEY, body \(db.sqlType(.text)) NOT NULL)")
        let texts = db.blocking.repository(PlainText.self)
        let value = "a\0b"
        if db is PostgresDatabase {
            let error = #expect(throws: DriftlessError.self) { try texts.insert(PlainText(id: 7, body: value)) }
            #expect(error?.code == .unrepresentableValue)
            #expect(error?.table == TableName("texts"))
            #expect(error?.column == "body")
            #expect(error?.key == "id=7")
            #expect(error.map { "\($0)" }?.contains("a\0b") == false)
            #expect(try texts.count() == 0)
            try texts.insert(PlainText(id: 1, body: "a"))
            let filter = #expect(throws: DriftlessError.self) { try texts.count(PlainText.filter(\.body == value)) }
            #expect(filter?.code == .unrepresentableValue)
        } else {
            try texts.insert(PlainText(id: 7, body: value))
            #expect(try texts.find(Int64(7))?.body.utf8.elementsEqual(value.utf8) == true)
            #expect(try texts.count(PlainText.filter(\.body == value)) == 1)
            #expect(try texts.count(PlainText.filter(\.body == "a")) == 0)
        }
    }

    /// A name longer than PostgreSQL keeps (63 bytes) would be cut silently there, so that
    /// the table seems to lack the column: an invalid record on PostgreSQL, a name on SQLite.
    static func longNames<D: TestDatabase>(in db: D) throws {
        let repository = db.blocking.repository(LongColumn.self)
        if db is PostgresDatabase {
            let error = #expect(throws: DriftlessError.self) { try repository.fetchAll() }
            #expect(error?.code == .invalidRecord)
            #expect(error?.detail?.contains(LongColumn.longName) == true)
        } else {
            try db.executeRaw("CREATE TABLE long_names (id INTEGER PRIMARY KEY, \(db.driftContext.dialect.quote(LongColumn.longName)) TEXT NOT NULL)")
            try repository.insert(LongColumn(id: 1, value: "kept"))
            #expect(try repository.fetchAll().map(\.value) == ["kept"])
            #expect(try repository.planMode() == .full)
        }
    }

    /// Raw SQL runs exactly as written, with exactly the values given: a second statement,
    /// a missing or an extra argument, and NUL are `invalidQuery` errors on every backend,
    /// through every raw-SQL entry point, and nothing runs (the transaction goes on).
    static func rawSQL<D: TestDatabase>(in db: D) throws {
        try secrets(in: db)
        let dialect = db.driftContext.dialect
        let p1 = dialect.placeholder(1), p2 = dialect.placeholder(2)
        let users = db.blocking.repository(RawUser.self)
        func problem(_ body: () throws -> Void) -> DriftlessError.QueryProblem? {
            do {
                try body()
                return nil
            } catch let error as DriftlessError {
                return error.queryProblem
            } catch {
                Issue.record("expected an invalidQuery error, got \(error)")
                return nil
            }
        }
        #expect(problem { _ = try users.fetchAll(sql: "SELECT id, note AS name FROM secrets; DELETE FROM secrets") } == .multipleStatements)
        #expect(problem { _ = try users.fetchAll(sql: "SELECT id, note AS name FROM secrets WHERE id = \(p1) AND note <> \(p2)", arguments: [1]) } == .argumentCount)
        #expect(problem { _ = try users.fetchAll(sql: "SELECT id, note AS name FROM secrets WHERE id = \(p1)", arguments: [1, 2]) } == .argumentCount)
        #expect(problem { _ = try users.fetchAll(sql: "SELECT id, note AS name FROM secrets WHERE id = \(p1)") } == .argumentCount)
        #expect(problem { _ = try users.fetchAll(sql: "SELECT id, note AS name FROM secrets\0; DELETE FROM secrets") } == .nulCharacter)
        // Right after a mismatch, the same SQL with the right arguments runs (no stale value).
        #expect(try users.fetchAll(sql: "SELECT id, note AS name FROM secrets WHERE id = \(p1)", arguments: [1]).map(\.name) == ["top secret"])
        #expect(problem { _ = try users.fetchAll(sql: "SELECT id, note AS name FROM secrets WHERE id = \(p1)") } == .argumentCount)
        #expect(try users.fetchAll(sql: "SELECT id, note AS name FROM secrets; -- a comment\n").count == 1)
        #expect(problem { try db.blocking.execute("DELETE FROM secrets WHERE id = \(p1); DELETE FROM secrets", arguments: [1]) } == .multipleStatements)
        #expect(problem { try db.blocking.execute("DELETE FROM secrets WHERE id = \(p1) OR id = \(p2)", arguments: [1]) } == .argumentCount)
        #expect(problem { try db.blocking.execute("DELETE FROM secrets WHERE id = \(p1)", arguments: [1, 2]) } == .argumentCount)
        // SQL run without values may not have placeholders (SQLite's exec bound NULL to them).
        #expect(problem { try db.executeRaw("DELETE FROM secrets WHERE id = \(p1) OR \(p2) IS NULL") } == .argumentCount)
        #expect(problem { try db.executeRaw("SELECT 1; DELETE FROM secrets WHERE \(p1) IS NULL") } == .argumentCount)
        // Inside a transaction the error leaves the transaction usable, as on SQLite.
        try db.blocking.transaction { (tx: BlockingTransaction<D>) throws -> Void in
            let inside = tx.repository(RawUser.self)
            #expect(problem { _ = try inside.fetchAll(sql: "SELECT id, note AS name FROM secrets; DELETE FROM secrets") } == .multipleStatements)
            #expect(problem { _ = try inside.fetchAll(sql: "SELECT id, note AS name FROM secrets WHERE id = \(p1) OR id = \(p2)", arguments: [1]) } == .argumentCount)
            #expect(try inside.fetchAll(sql: "SELECT id, note AS name FROM secrets").count == 1)
        }
        try secretsAreIntact(in: db)
    }

    /// Dates: writable exactly when readable. NaN and ±1e20 seconds are typed errors naming
    /// table, column and key (on main they trapped); years before 1 and after 9999 round-trip.
    static func dates<D: TestDatabase>(in db: D) throws {
        try db.executeRaw("CREATE TABLE events (id \(db.sqlType(.integer)) PRIMARY KEY, at \(db.sqlType(.timestamp)) NOT NULL)")
        let events = db.blocking.repository(Event.self)
        for (id, seconds) in [(1, Double.nan), (2, 1e20), (3, -1e20), (4, Double.infinity)] {
            let error = #expect(throws: DriftlessError.self) { try events.insert(Event(id: Int64(id), at: Date(timeIntervalSince1970: seconds))) }
            #expect(error?.code == .unrepresentableValue)
            #expect(error?.table == TableName("events") && error?.column == "at" && error?.key == "id=\(id)")
        }
        #expect(try events.count() == 0)
        let filter = #expect(throws: DriftlessError.self) { try events.count(Event.filter(\.at < Date(timeIntervalSince1970: .nan))) }
        #expect(filter?.code == .unrepresentableValue && filter?.column == "at")
        let dates = [Date.distantPast, Date.distantFuture, Date(timeIntervalSince1970: -70_000_000_000), // 249 BC
                     Date(timeIntervalSince1970: 400_000_000_000),  // year 14645
                     Date(timeIntervalSince1970: -210_866_803_200), Date(timeIntervalSince1970: 9_224_318_015_999.5)]
        try events.insert(contentsOf: dates.enumerated().map { Event(id: Int64($0.offset + 10), at: $0.element) })
        let read = try events.fetchAll(Event.order(.ascending(\.id))).map(\.at)
        #expect(read == dates)
        #expect(try events.count(Event.filter(\.at == Date.distantPast)) == 1)
    }

    /// Text that spells `nan`, `inf` or an underflowing number is not a Double (only a real
    /// NaN or infinity is), so decoding it names table, column and key.
    static func textIsNotADouble<D: TestDatabase>(in db: D) throws {
        try db.executeRaw("CREATE TABLE amounts (id \(db.sqlType(.integer)) PRIMARY KEY, amount \(db.sqlType(.text)) NOT NULL)")
        try db.executeRaw("INSERT INTO amounts (id, amount) VALUES (1, 'nan'), (2, 'inf'), (3, '1e-400'), (4, '0.10000000000000000001'), (5, '0.25')")
        let amounts = db.blocking.repository(Amount.self)
        for id in Int64(1)...4 {
            let error = #expect(throws: DriftlessError.self) { try amounts.find(id) }
            #expect(error?.code == .typeMismatch && error?.table == TableName("amounts") && error?.column == "amount" && error?.key == "id=\(id)")
        }
        #expect(try amounts.find(Int64(5))?.amount == 0.25)
    }

    /// Defaults read back as declared: -0.0 keeps its sign, `Date.distantPast` (year 0,
    /// 1 BC) reads back on PostgreSQL too; NaN, which SQLite cannot hold, makes the record
    /// invalid there on first use, naming the column.
    static func defaultsServedAsDeclared<D: TestDatabase>(in db: D) throws {
        try db.executeRaw("CREATE TABLE signed_defaults (id \(db.sqlType(.integer)) PRIMARY KEY)")
        try db.executeRaw("INSERT INTO signed_defaults (id) VALUES (1)")
        let row = try db.blocking.repository(SignedDefaults.self).fetchAll().first
        #expect(row?.zero.sign == .minus && row?.zero == 0)
        #expect(row?.ancient == Date.distantPast)
        #expect(try db.blocking.repository(SignedDefaults.self).count(SignedDefaults.filter(\.ancient == Date.distantPast)) == 1)
        try db.executeRaw("CREATE TABLE nan_defaults (id \(db.sqlType(.integer)) PRIMARY KEY)")
        try db.executeRaw("INSERT INTO nan_defaults (id) VALUES (1)")
        if db is PostgresDatabase {
            #expect(try db.blocking.repository(NaNDefault.self).fetchAll().first?.value.isNaN == true)
        } else {
            let error = #expect(throws: DriftlessError.self) { try db.blocking.repository(NaNDefault.self).fetchAll() }
            #expect(error?.code == .invalidRecord && error?.detail?.contains("\"value\"") == true)
        }
        let outOfRange = #expect(throws: DriftlessError.self) { try db.blocking.repository(FarDefault.self).fetchAll() }
        #expect(outOfRange?.code == .invalidRecord && outOfRange?.detail?.contains("\"at\"") == true)
    }

    /// A dropped value is logged with its table, column and key, not the value (unless the
    /// configuration opts in, for debugging).
    static func droppedValuesAreRedacted<Fixture: ConformanceFixture>(with _: Fixture.Type) throws {
        for showsValues in [false, true] {
            let capture = LogCapture()
            let db = try Fixture(drift: DriftConfiguration(logger: capture.logger, logsValues: showsValues)).database
            try db.executeRaw(User.oldTableSQL)
            try db.blocking.repository(User.self).insert(User(id: 1, name: "Ada", email: nil, plan: "very-private-plan"))
            let warning = capture.logged.first { $0.message.contains("dropped a value") }
            #expect(warning?.metadata["column"] == "plan" && warning?.metadata["key"] == "id=1")
            let logged = capture.logged.map { "\($0.message) \($0.metadata)" }.joined(separator: "\n")
            #expect(logged.contains("very-private-plan") == showsValues, "\(logged)")
        }
    }
}

struct ClusterQuoted: Record {
    var id: Int64
    var value: String
    static let valueColumn = "v\u{600}\"; DROP TABLE secrets; --"
    static let schema = RecordSchema<ClusterQuoted>(table: "t\"\u{301} UNION SELECT id, note FROM secrets --") {
        Column("id", \.id, primaryKey: true)
        Column(valueColumn, \.value, default: "")
    }
    init(id: Int64, value: String) { (self.id, self.value) = (id, value) }
    init(row: Row) throws { (id, value) = (try row.decode(at: 0), try row.decode(at: 1)) }
}

struct ClusterDefault: Record {
    var id: Int64
    var missing: String
    static let hostileDefault = "\u{600}' || (SELECT note FROM secrets) || '\"\u{301}"
    static let schema = RecordSchema<ClusterDefault>(table: "cluster_default") {
        Column("id", \.id, primaryKey: true)
        Column("missing", \.missing, default: hostileDefault)
    }
    init(row: Row) throws { (id, missing) = (try row.decode(at: 0), try row.decode(at: 1)) }
}

struct NulColumn: Record, Codable {
    var id: Int64
    var value: String
    static let schema = RecordSchema<NulColumn>(table: "nul_column") {
        Column("id", \.id, primaryKey: true)
        Column("va\0lue", \.value, default: "")
    }
}

struct PlainText: Record, Codable {
    var id: Int64
    var body: String
    static let schema = RecordSchema<PlainText>(table: "texts") {
        Column("id", \.id, primaryKey: true)
        Column("body", \.body, default: "")
    }
}

struct LongColumn: Record, Codable {
    var id: Int64
    var value: String
    static let longName = String(repeating: "n", count: 64)
    static let schema = RecordSchema<LongColumn>(table: "long_names") {
        Column("id", \.id, primaryKey: true)
        Column(longName, \.value, default: "")
    }
    init(id: Int64, value: String) { (self.id, self.value) = (id, value) }
    init(row: Row) throws { (id, value) = (try row.decode(at: 0), try row.decode(at: 1)) }
}

struct RawUser: Record, Codable {
    var id: Int64
    var name: String
    static let schema = RecordSchema<RawUser>(table: "raw_users") {
        Column("id", \.id, primaryKey: true)
        Column("name", \.name, default: "")
    }
}

struct Event: Record, Codable {
    var id: Int64
    var at: Date
    static let schema = RecordSchema<Event>(table: "events") {
        Column("id", \.id, primaryKey: true)
        Column("at", \.at, default: Date(timeIntervalSince1970: 0))
    }
}

struct Amount: Record, Codable {
    var id: Int64
    var amount: Double
    static let schema = RecordSchema<Amount>(table: "amounts") {
        Column("id", \.id, primaryKey: true)
        Column("amount", \.amount, default: 0)
    }
}

struct SignedDefaults: Record, Codable {
    var id: Int64
    var zero: Double
    var ancient: Date
    static let schema = RecordSchema<SignedDefaults>(table: "signed_defaults") {
        Column("id", \.id, primaryKey: true)
        Column("zero", \.zero, default: -0.0)
        Column("ancient", \.ancient, default: Date.distantPast)
    }
}

struct NaNDefault: Record, Codable {
    var id: Int64
    var value: Double
    static let schema = RecordSchema<NaNDefault>(table: "nan_defaults") {
        Column("id", \.id, primaryKey: true)
        Column("value", \.value, default: .nan)
    }
}

struct FarDefault: Record, Codable {
    var id: Int64
    var at: Date
    static let schema = RecordSchema<FarDefault>(table: "nan_defaults") {
        Column("id", \.id, primaryKey: true)
        Column("at", \.at, default: Date(timeIntervalSince1970: 1e20))
    }
}
