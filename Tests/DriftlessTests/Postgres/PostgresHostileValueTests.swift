import Driftless
import DriftlessPostgres
import Foundation
import Testing

/// What only PostgreSQL can store wrongly: numerics beyond a double, and bytes that are not
/// UTF-8 in a database that does not check them.
@Suite(.enabled(if: TestPostgres.isEnabled, TestPostgres.skipReason)) struct PostgresHostileValueTests {
    /// `numeric` reads as a Double only when exact: 1e-400 would be 0.0 (as on main), and
    /// 1e400 infinity.
    @Test func numericsBeyondADoubleAreTypeMismatches() throws {
        let db = try PostgresFixture().database
        try db.blocking.execute("CREATE TABLE amounts (id bigint PRIMARY KEY, amount numeric NOT NULL)")
        try db.blocking.execute("INSERT INTO amounts VALUES (1, 1e-400), (2, 1e400), (3, 'NaN'), (4, 0.1000000000000000001), (5, 0.5), (6, 12.25)")
        let amounts = db.blocking.repository(Amount.self)
        for id in Int64(1)...4 {
            let error = #expect(throws: DriftlessError.self) { try amounts.find(id) }
            #expect(error?.code == .typeMismatch && error?.column == "amount" && error?.key == "id=\(id)")
        }
        #expect(try amounts.find(Int64(5))?.amount == 0.5)
        #expect(try amounts.find(Int64(6))?.amount == 12.25)
        // A float8 column holds NaN and infinities for real.
        try db.blocking.execute("CREATE TABLE reals (id bigint PRIMARY KEY, amount double precision NOT NULL)")
        try db.blocking.execute("INSERT INTO reals VALUES (1, 'NaN'), (2, '-Infinity')")
        let reals = try db.blocking.repository(Amount.self).fetchAll(sql: "SELECT id, amount FROM reals ORDER BY id")
        #expect(reals.first?.amount.isNaN == true && reals.last?.amount == -.infinity)
    }

    /// A SQL_ASCII database keeps any bytes in text. The server converts text to the UTF-8
    /// Driftless asks for and refuses bytes that are not UTF-8 (22021): a typed error, never
    /// U+FFFD. (Where a server does send such bytes, they read as a BLOB, as on SQLite.)
    @Test func invalidUTF8TextIsNeverReplaced() throws {
        let fixture = try PostgresFixture()
        let name = fixture.databaseName + "_ascii"
        try fixture.executeAsAdministrator("CREATE DATABASE \(name) ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0")
        defer { try? fixture.executeAsAdministrator("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
        var configuration = fixture.configuration
        configuration.setParameter("dbname", name)
        configuration.schemaChangeChannel = nil
        let db = try PostgresDatabase(configuration: configuration)
        defer { db.close() }
        try db.blocking.execute("CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL, email text)")
        try db.blocking.execute("INSERT INTO users (id, name) VALUES (1, E'A\\377B')")
        let error = #expect(throws: DatabaseError.self) { try db.blocking.repository(User.self).find(Int64(1)) }
        #expect(error?.sqlState == "22021")
        #expect(error.map { "\($0)" }?.contains("0xff") == false, "the message quotes the bytes")
        let bytes = try db.read { connection in
            let statement = try connection.prepare("SELECT convert_to(name, 'SQL_ASCII') FROM users")
            defer { statement.reset() }
            _ = try statement.step()
            return statement.value(at: 0)
        }
        #expect(bytes == .blob([0x41, 0xFF, 0x42]))
    }
}
