import Driftless
import DriftlessPostgres
import DriftlessSQLite
import Foundation
import Testing

/// Values are exact or nothing: what is written reads back, what cannot be read is not
/// written, and impossible stored text is not rolled over into another value.
@Suite struct ValueConversionTests {
    private func date(_ text: String) -> Date? { Date.fromDatabaseValue(.text(text)) }

    @Test func impossibleTimestampsReadAsNothing() {
        for text in ["2024-02-30", "2024-02-31", "2023-02-29", "2024-04-31", "2024-13-01", "2024-00-10", "2024-01-00",
                     "2024-01-01T24:00:00Z", "2024-01-01T12:60:00Z", "2024-01-01T12:00:61Z", "2024-01-01T12:00:00+99:99",
                     "2024-01-01T12:00:00+16:00", "2024-01-01T12:00:00+05:75", "2024-01-01T12:00:00+05:", "0000-01-01 BC",
                     "2024-01-01T12:00:00.Z", "2024-01-01 12:00:00 AD", "2024-1-01", "nan", ""] {
            #expect(date(text) == nil, "\(text)")
        }
        #expect(date("2024-02-29") == Date(timeIntervalSince1970: 1_709_164_800))
        #expect(date("2000-02-29T00:00:00Z") == Date(timeIntervalSince1970: 951_782_400))
        #expect(date("2024-01-01T12:00:00+15:59") == Date(timeIntervalSince1970: 1_704_110_400 - 57_540))
    }

    /// What PostgreSQL writes, in any session time zone (offsets with seconds, BC, long years).
    @Test func readsPostgreSQLOutput() {
        #expect(date("1799-12-31 19:03:58-04:56:02") == Date(timeIntervalSince1970: -5_364_662_400))
        #expect(date("0001-12-30 00:00:00+00 BC") == Date.distantPast)
        #expect(date("0001-12-29 19:03:58-04:56:02 BC") == Date.distantPast)
        #expect(date("0001-12-30 BC") == Date.distantPast)
        #expect(date("10000-01-01 00:00:00+00") == Date(timeIntervalSince1970: 253_402_300_800))
        #expect(date("2024-06-01 12:00:00.123456+02") == Date(timeIntervalSince1970: 1_717_236_000.123456))
        #expect(date("2024-06-01T10:00:00.5Z")!.timeIntervalSince1970 == 1_717_236_000.5)
    }

    /// Writable exactly when readable: dates PostgreSQL holds (4714 BC to 294276 AD) are
    /// written and read back to the millisecond on every backend; others (NaN, ±1e20 s, which
    /// trapped on main) are a storage problem, never a trap.
    @Test func datesAreWritableExactlyWhenReadable() {
        var random = PropertyRandom.forSuite("ValueConversionTests.dates")
        var failures: [String] = []
        for _ in 0..<PropertyRandom.cases(20_000) {
            let written = HostileValues.date(using: &random)
            let problem = written.storageProblem
            if HostileValues.isStorable(written) != (problem == nil) { failures.append("\(written.timeIntervalSince1970): storable? \(problem ?? "yes")") }
            guard problem == nil else { continue }
            guard case .text(let text) = written.databaseValue, let read = Date.fromDatabaseValue(.text(text)) else {
                failures.append("\(written.timeIntervalSince1970) is written as \(written.databaseValue), which does not read back")
                continue
            }
            if !HostileValues.isStoredForm(read, of: written) { failures.append("\(written.timeIntervalSince1970) reads back as \(read.timeIntervalSince1970) (\(text))") }
            // Past 2^40 s (year 36,812) a Date no longer holds every millisecond.
            if abs(written.timeIntervalSince1970) < 0x1p40, read.databaseValue != written.databaseValue {
                failures.append("\(text) is not written back as itself")
            }
        }
        #expect(failures.isEmpty, "\(PropertyRandom.replay("ValueConversionTests")): \(failures.prefix(5))")
        #expect(Date.distantPast.databaseValue == .text("0001-12-30T00:00:00.000Z BC"))
        // A Date counts from 2001: 0.999 s after 1970 is a hair below it, and was written as .998.
        #expect(Date(timeIntervalSince1970: 0.999).databaseValue == .text("1970-01-01T00:00:00.999Z"))
        #expect(Date(timeIntervalSince1970: 400_000_000_000).databaseValue == .text("14645-06-30T15:06:40.000Z"))
        #expect(Date(timeIntervalSince1970: .nan).storageProblem != nil)
        #expect(Date.fromDatabaseValue(.real(.nan)) == nil && Date.fromDatabaseValue(.real(1e20)) == nil)
    }

    /// Text reads as a Double only when it is a decimal number the double holds exactly as
    /// written; a REAL NaN or infinity is one.
    @Test func doublesFromTextAreExact() {
        for text in ["nan", "NaN", "inf", "-infinity", "1e-400", "1e400", "0.10000000000000000001", "0x1p3", "1,5", "", "."] {
            #expect(Double.fromDatabaseValue(.text(text)) == nil, "\(text)")
        }
        let exact: [(String, Double)] = [("0.1", 0.1), ("1e-3", 0.001), ("-0", -0.0), (" 2.50 ", 2.5), ("15e-1", 1.5),
                                         ("1.7976931348623157e308", .greatestFiniteMagnitude), ("5e-324", .leastNonzeroMagnitude), ("42", 42)]
        for (text, value) in exact {
            #expect(Double.fromDatabaseValue(.text(text))?.bitPattern == value.bitPattern, "\(text)")
        }
        #expect(Double.fromDatabaseValue(.real(.nan))?.isNaN == true)
        #expect(Double.fromDatabaseValue(.real(-.infinity)) == -.infinity)
    }

    /// One quoting routine, on bytes: a quote inside a grapheme cluster is doubled.
    @Test func quotesInsideGraphemeClustersAreDoubled() {
        #expect("a\"\u{301}b".quoted(with: "\"") == "\"a\"\"\u{301}b\"")
        #expect("\u{600}'x".quoted(with: "'") == "'\u{600}''x'")
        #expect(#"a"b\c"#.quoted(with: "\"", escape: "\\") == #""a\"b\\c""#)
        #expect(SQLiteDialect.sqlite.standardLiteral(.text("\u{600}' OR 1=1 --")) == "'\u{600}'' OR 1=1 --'")
        #expect(PostgresDialect.postgres.quote(TableName("t\"\u{301}", schema: "s\u{600}\"")) == "\"s\u{600}\"\"\".\"t\"\"\u{301}\"")
    }

    /// Names are the same when their bytes are (ignoring ASCII case on SQLite only).
    @Test func namesCompareByteForByte() {
        #expect(TableName("e\u{301}") != TableName("\u{e9}"))
        #expect(Set([TableName("e\u{301}"), TableName("\u{e9}")]).count == 2)
        #expect(SQLiteDialect.sqlite.sameIdentifier("Users", "users"))
        #expect(!SQLiteDialect.sqlite.sameIdentifier("É", "é"))
        #expect(!PostgresDialect.postgres.sameIdentifier("Users", "users"))
        #expect(!PostgresDialect.postgres.sameIdentifier("e\u{301}", "\u{e9}"))
    }

    /// The server's message for a rejected value quotes it: left out unless asked for.
    @Test func dataExceptionMessagesAreRedacted() {
        let error = DatabaseError(kind: .typeMismatch, sqlState: "22P02", message: "invalid input syntax for type uuid: \"my-secret\"")
        #expect(!error.description.contains("my-secret"))
        #expect(error.description(revealingValues: true).contains("my-secret"))
        #expect(DatabaseError(kind: .syntax, sqlState: "42601", message: "syntax error at or near \"x\"").description.contains("near"))
    }
}
