import Driftless
import Foundation

/// A table of one value column, for the value property suites: one record type per Swift
/// type, each created by the repository from its declaration.
protocol ValueRecord: Record {
    associatedtype Value: DatabaseValueConvertible
    var id: Int64 { get }
    var value: Value { get }
    init(id: Int64, value: Value)
    /// The key paths of the stored properties (a generic `\.id` would name the protocol's
    /// requirement, which is not a declared column).
    static var idPath: KeyPath<Self, Int64> { get }
    static var valuePath: KeyPath<Self, Value> { get }
}

extension ValueRecord {
    init(row: Row) throws { self.init(id: try row.decode(at: 0), value: try row.decode(at: 1)) }
    static var table: String { schema.table.name }
}

struct TextValue: ValueRecord {
    var id: Int64
    var value: String
    static var idPath: KeyPath<TextValue, Int64> { \.id }
    static var valuePath: KeyPath<TextValue, Value> { \.value }
    static let schema = RecordSchema<TextValue>(table: "text_values") {
        Column("id", \.id, primaryKey: true)
        Column("value", \.value, default: "")
    }
}

struct RealValue: ValueRecord {
    var id: Int64
    var value: Double
    static var idPath: KeyPath<RealValue, Int64> { \.id }
    static var valuePath: KeyPath<RealValue, Value> { \.value }
    static let schema = RecordSchema<RealValue>(table: "real_values") {
        Column("id", \.id, primaryKey: true)
        Column("value", \.value, default: 0)
    }
}

struct DateValue: ValueRecord {
    var id: Int64
    var value: Date
    static var idPath: KeyPath<DateValue, Int64> { \.id }
    static var valuePath: KeyPath<DateValue, Value> { \.value }
    static let schema = RecordSchema<DateValue>(table: "date_values") {
        Column("id", \.id, primaryKey: true)
        Column("value", \.value, default: Date(timeIntervalSince1970: 0))
    }
}

struct BlobValue: ValueRecord {
    var id: Int64
    var value: [UInt8]
    static var idPath: KeyPath<BlobValue, Int64> { \.id }
    static var valuePath: KeyPath<BlobValue, Value> { \.value }
    static let schema = RecordSchema<BlobValue>(table: "blob_values") {
        Column("id", \.id, primaryKey: true)
        Column("value", \.value, default: [])
    }
}

struct IntegerValue: ValueRecord {
    var id: Int64
    var value: Int64
    static var idPath: KeyPath<IntegerValue, Int64> { \.id }
    static var valuePath: KeyPath<IntegerValue, Value> { \.value }
    static let schema = RecordSchema<IntegerValue>(table: "integer_values") {
        Column("id", \.id, primaryKey: true)
        Column("value", \.value, default: 0)
    }
}

/// A record whose non-key columns the table never has: each reads as its declared default,
/// chosen per case (a task-local), through the projected plan's literals.
struct DefaultProbe: Record {
    var id: Int64
    var text: String
    var real: Double
    var date: Date
    var blob: [UInt8]

    struct Defaults: Sendable {
        var text: String
        var real: Double
        var date: Date
        var blob: [UInt8]
    }

    final class Layout: Sendable {
        let defaults: Defaults
        let schema: RecordSchema<DefaultProbe>
        init(_ defaults: Defaults) {
            self.defaults = defaults
            schema = RecordSchema<DefaultProbe>(table: "default_probe") {
                Column("id", \.id, primaryKey: true)
                Column("text", \.text, default: defaults.text)
                Column("real", \.real, default: defaults.real)
                Column("date", \.date, default: defaults.date)
                Column("blob", \.blob, default: defaults.blob)
            }
        }
    }

    @TaskLocal static var layout = Layout(Defaults(text: "", real: 0, date: Date(timeIntervalSince1970: 0), blob: []))

    static var schema: RecordSchema<DefaultProbe> { layout.schema }

    init(row: Row) throws {
        id = try row.decode(at: 0)
        text = try row.decode(at: 1)
        real = try row.decode(at: 2)
        date = try row.decode(at: 3)
        blob = try row.decode(at: 4)
    }
}

/// Values drawn for the value suites: every bit pattern of a double, dates from 10,000 BC to
/// beyond the year 300,000 and non-finite ones, any Unicode text, any bytes.
enum HostileValues {
    static func double(using random: inout PropertyRandom) -> Double {
        switch Int.random(in: 0..<6, using: &random) {
        case 0: return Double(bitPattern: random.next())
        case 1: return random.pick([0, -0.0, .infinity, -.infinity, .nan, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
                                    .leastNonzeroMagnitude, .leastNormalMagnitude, 0.1, 1.0 / 3, 2.5, 9_007_199_254_740_992])
        case 2: return Double(Int.random(in: -1_000_000...1_000_000, using: &random)) / pow(10, Double(Int.random(in: 0...6, using: &random)))
        case 3: return Double(Int64.random(in: Int64.min...Int64.max, using: &random))
        default: return Double.random(in: -1e6...1e6, using: &random) * pow(10, Double(Int.random(in: -30...30, using: &random)))
        }
    }

    static func date(using random: inout PropertyRandom) -> Date {
        let seconds: Double = switch Int.random(in: 0..<6, using: &random) {
        case 0: Double.random(in: -4e11...1e13, using: &random)
        case 1: Double.random(in: -1e10...5e9, using: &random)
        case 2: random.pick([Date.distantPast.timeIntervalSince1970, Date.distantFuture.timeIntervalSince1970, 0, -0.0005, 0.9995,
                             -210_866_803_200, -210_866_803_200.001, 9_224_318_016_000, 9_224_318_015_999.999,
                             .nan, .infinity, -.infinity, 1e20, -1e20])
        case 3: Double(bitPattern: random.next())
        case 4: Double(Int.random(in: -62_135_596_800...253_402_300_799, using: &random))
        default: Double.random(in: 1.5e9...2e9, using: &random)
        }
        return Date(timeIntervalSince1970: seconds)
    }

    static func blob(using random: inout PropertyRandom) -> [UInt8] {
        (0..<Int.random(in: 0...40, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
    }

    static func integer(using random: inout PropertyRandom) -> Int64 {
        random.chance(0.1) ? random.pick([.min, .max, 0, -1, 1]) : Int64.random(in: .min ... .max, using: &random)
    }

    /// Whether a date can be stored, by the rule written out: finite, from 4714-11-24 BC
    /// (PostgreSQL's first day) up to 294277-01-01 (exclusive), on every backend.
    static func isStorable(_ date: Date) -> Bool {
        let seconds = date.timeIntervalSince1970
        return seconds.isFinite && seconds >= -210_866_803_200 && seconds < 9_224_318_016_000
    }

    /// The date a stored date reads back as: the same instant to the millisecond (truncated,
    /// give or take what a double holds at that distance from 1970).
    static func isStoredForm(_ read: Date, of written: Date) -> Bool {
        let difference = written.timeIntervalSince1970 - read.timeIntervalSince1970
        let slack = max(abs(written.timeIntervalSinceReferenceDate).ulp * 4, abs(written.timeIntervalSince1970).ulp * 4, 1e-6)
        return difference > -slack && difference < 0.001 + slack
    }

    /// Whether a double is read back as written: bit for bit (any NaN for NaN), except that
    /// SQLite stores -0.0 in a REAL column as 0.0.
    static func sameDouble(_ read: Double, _ written: Double, isSQLite: Bool) -> Bool {
        if written.isNaN { return read.isNaN }
        if isSQLite && written == 0 { return read == 0 }
        return read.bitPattern == written.bitPattern
    }
}
