import Driftless
import DriftlessSQLite
import Foundation
import Testing

/// SQLite stores whatever bytes it is given as TEXT; Driftless reads them exactly or says so.
@Suite("SQLite hostile values")
struct SQLiteHostileValueTests {
    /// TEXT that is not UTF-8 reads as the bytes it holds: a `String` property is a type
    /// mismatch naming table, column and key (on main it read as U+FFFD, and writing the
    /// record back replaced the stored bytes), a byte property gets the bytes.
    @Test func invalidUTF8TextIsNeverReplaced() throws {
        let db = try SQLiteFixture().database
        try db.blocking.execute(User.oldTableSQL)
        try db.blocking.execute("INSERT INTO users (id, name, email) VALUES (1, CAST(X'41FF42' AS TEXT), 'a@example.com')")
        let error = #expect(throws: DriftlessError.self) { try db.blocking.repository(User.self).find(Int64(1)) }
        #expect(error?.code == .typeMismatch && error?.table == TableName("users") && error?.column == "name" && error?.key == "id=1")
        #expect(try db.blocking.repository(RawName.self).find(Int64(1))?.name == [0x41, 0xFF, 0x42])
        #expect(try db.blocking.repository(RawName.self).fetchAll(sql: "SELECT id, name FROM users").map(\.name) == [[0x41, 0xFF, 0x42]])
        // The stored bytes are as they were.
        let stored = try db.read { connection in
            let statement = try connection.prepare("SELECT hex(name), typeof(name) FROM users")
            defer { statement.reset() }
            _ = try statement.step()
            return [statement.value(at: 0), statement.value(at: 1)]
        }
        #expect(stored == [.text("41FF42"), .text("text")])
    }

    /// SQLite's decimal parser rounds some literals to a neighbouring double: the literals
    /// Driftless renders (projected defaults, offline scripts) read back bit for bit.
    @Test func realLiteralsReadBackExactly() throws {
        let db = try SQLiteDatabase(path: ":memory:")
        var random = PropertyRandom.forSuite("SQLiteHostileValueTests.realLiterals")
        var failures: [String] = []
        for _ in 0..<PropertyRandom.cases(5_000) {
            let value = HostileValues.double(using: &random)
            guard !value.isNaN else { continue }
            let read = try db.read { connection in
                let statement = try connection.prepare("SELECT " + SQLiteDialect.sqlite.literal(.real(value), .real))
                defer { statement.reset() }
                _ = try statement.step()
                return statement.value(at: 0)
            }
            if read != .real(value) || (value == 0 && read != .real(value)) { failures.append("\(value) reads back as \(read)") }
            if case .real(let real) = read, real.bitPattern != value.bitPattern { failures.append("\(value) reads back as \(real)") }
        }
        #expect(failures.isEmpty, "\(PropertyRandom.replay("SQLiteHostileValueTests")): \(failures.prefix(5))")
        #expect(SQLiteDialect.sqlite.literal(.real(2.5), .real) == "2.5")
        #expect(SQLiteDialect.sqlite.literal(.real(-0.0), .real) == "-0.0")
        #expect(SQLiteDialect.sqlite.literal(.real(0.1), .real) == "(CAST(3602879701896397 AS REAL) / 36028797018963968)")
    }

    /// SQLite turns NaN into NULL: a typed error naming table, column and key, nothing written.
    @Test func nanIsRefused() throws {
        let db = try SQLiteFixture().database
        try db.blocking.execute("CREATE TABLE amounts (id INTEGER PRIMARY KEY, amount REAL NOT NULL)")
        let error = #expect(throws: DriftlessError.self) { try db.blocking.repository(Amount.self).insert(Amount(id: 3, amount: .nan)) }
        #expect(error?.code == .unrepresentableValue && error?.table == TableName("amounts") && error?.column == "amount" && error?.key == "id=3")
        #expect(try db.blocking.repository(Amount.self).count() == 0)
    }

    @Test func pathWithNULIsNotOpened() throws {
        let directory = TemporaryDirectory()
        let error = #expect(throws: DatabaseError.self) { try SQLiteDatabase(path: directory.path("a.sqlite") + "\0other") }
        #expect(error?.kind == .cannotOpen)
        #expect(!FileManager.default.fileExists(atPath: directory.path("a.sqlite")))
    }
}

private struct RawName: Record, Codable {
    var id: Int64
    var name: [UInt8]
    static let schema = RecordSchema<RawName>(table: "users") {
        Column("id", \.id, primaryKey: true)
        Column("name", \.name, default: [])
    }
}
