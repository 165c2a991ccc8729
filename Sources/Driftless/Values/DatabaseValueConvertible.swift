import Foundation

/// A Swift type that a record column can hold.
///
/// A conforming type says which ``ColumnType`` it is stored as, how it becomes a
/// ``DatabaseValue`` and how it is read back. Reading is lenient where that loses nothing
/// (an integer stored as text, `0`/`1` as `Bool`) and fails otherwise, so that a decoding
/// error names the table, column and row instead of guessing.
public protocol DatabaseValueConvertible: Sendable {
    /// The column type used for this Swift type in table declarations.
    static var columnType: ColumnType { get }
    /// Whether `nil` is a value of this type (true only for `Optional`).
    static var isOptional: Bool { get }
    /// The value to store.
    var databaseValue: DatabaseValue { get }
    /// The Swift value for a stored value, or nil if it does not convert without loss.
    static func fromDatabaseValue(_ value: DatabaseValue) -> Self?
    /// Why this value cannot be stored so that it reads back as itself (a `Date` that is
    /// not finite, or outside the years the databases hold), or nil, the default.
    ///
    /// Checked before every write and for every filter value: a non-nil answer is a
    /// ``DriftlessError/Code/unrepresentableValue`` error naming the column (and the row's
    /// key), and nothing is sent. A value with a problem need not have a meaningful
    /// ``databaseValue``.
    var storageProblem: String? { get }
    /// The Swift value of a row's column, or nil if it does not convert without loss.
    ///
    /// The default is ``fromDatabaseValue(_:)`` of ``Row/databaseValue(at:)``. The standard
    /// integer, real and text types read the row's typed readers first, which builds no
    /// ``DatabaseValue``; a conformance may do the same (it must agree with
    /// ``fromDatabaseValue(_:)``).
    static func read(from row: Row, at index: Int) -> Self?
}

extension DatabaseValueConvertible {
    public static var isOptional: Bool { false }
    public var storageProblem: String? { nil }
    @inlinable
    public static func read(from row: Row, at index: Int) -> Self? {
        fromDatabaseValue(row.databaseValue(at: index))
    }
}

extension Optional: DatabaseValueConvertible where Wrapped: DatabaseValueConvertible {
    public static var columnType: ColumnType { Wrapped.columnType }
    public static var isOptional: Bool { true }
    @inlinable
    public var databaseValue: DatabaseValue {
        guard let self else { return .null }
        return self.databaseValue
    }
    @inlinable
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Self? {
        if case .null = value { return .some(nil) }
        guard let wrapped = Wrapped.fromDatabaseValue(value) else { return nil }
        return .some(wrapped)
    }
    @inlinable
    public static func read(from row: Row, at index: Int) -> Self? {
        if row.isNull(at: index) { return .some(nil) }
        guard let wrapped = Wrapped.read(from: row, at: index) else { return nil }
        return .some(wrapped)
    }
    public var storageProblem: String? { self?.storageProblem }
}

extension DatabaseValue: DatabaseValueConvertible {
    public static var columnType: ColumnType { .blob }
    public static var isOptional: Bool { true }
    public var databaseValue: DatabaseValue { self }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> DatabaseValue? { value }
}

extension Int64: DatabaseValueConvertible {
    public static var columnType: ColumnType { .integer }
    @inlinable public var databaseValue: DatabaseValue { .integer(self) }
    @inlinable
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Int64? {
        switch value {
        case .integer(let integer): return integer
        case .real(let real): return Int64(exactly: real)
        case .text(let text): return Int64(text.trimmingSpaces())
        case .null, .blob: return nil
        }
    }
    @inlinable
    public static func read(from row: Row, at index: Int) -> Int64? {
        if let integer = row.int64(at: index) { return integer }
        return fromDatabaseValue(row.databaseValue(at: index))
    }
}

/// Integer types that convert through `Int64` without loss when the value fits.
public protocol DatabaseInteger: DatabaseValueConvertible, FixedWidthInteger {}

extension DatabaseInteger {
    public static var columnType: ColumnType { .integer }
    @inlinable public var databaseValue: DatabaseValue { .integer(Int64(self)) }
    @inlinable
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Self? {
        Int64.fromDatabaseValue(value).flatMap { Self(exactly: $0) }
    }
    @inlinable
    public static func read(from row: Row, at index: Int) -> Self? {
        Int64.read(from: row, at: index).flatMap { Self(exactly: $0) }
    }
}

extension Int: DatabaseInteger {}
extension Int32: DatabaseInteger {}
extension Int16: DatabaseInteger {}
extension Int8: DatabaseInteger {}
extension UInt32: DatabaseInteger {}
extension UInt16: DatabaseInteger {}
extension UInt8: DatabaseInteger {}

extension Double: DatabaseValueConvertible {
    public static var columnType: ColumnType { .real }
    @inlinable public var databaseValue: DatabaseValue { .real(self) }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Double? {
        switch value {
        case .real(let real): return real
        case .integer(let integer):
            let real = Double(integer)
            return Int64(exactly: real) == integer ? real : nil
        case .text(let text): return exactDouble(text.trimmingSpaces())
        case .null, .blob: return nil
        }
    }
    @inlinable
    public static func read(from row: Row, at index: Int) -> Double? {
        if let real = row.double(at: index) { return real }
        return fromDatabaseValue(row.databaseValue(at: index))
    }

    /// The double a decimal number in text is, if it is one exactly as written (up to
    /// trailing zeros): `"0.5"`, `"1e-3"`, or `"0.1"`, whose shortest form is the same
    /// number. Not `"nan"` or `"inf"` (only a REAL column holds those), nor `"1e-400"`,
    /// which would be 0, nor digits past a double's precision, which would be dropped.
    static func exactDouble(_ text: Substring) -> Double? {
        guard let number = DecimalText(text), let double = Double(text), double.isFinite,
              DecimalText(Substring(double.description)) == number
        else { return nil }
        return double
    }
}

/// A decimal number as digits and a power of ten, without leading or trailing zeros, to
/// compare two spellings of a number exactly (`"1.50"` and `"15e-1"` are equal).
struct DecimalText: Equatable {
    var isNegative: Bool
    var digits: [UInt8]
    var exponent: Int

    /// Reads `[+-]digits[.digits][(e|E)[+-]digits]`; nil for anything else.
    init?(_ text: Substring) {
        var bytes = Array(text.utf8)[...]
        isNegative = bytes.first == UInt8(ascii: "-")
        if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        var digits: [UInt8] = []
        var exponent = 0
        var sawDigit = false, sawPoint = false
        while let byte = bytes.first, byte != UInt8(ascii: "e"), byte != UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if byte == UInt8(ascii: ".") {
                if sawPoint { return nil }
                sawPoint = true
            } else if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                sawDigit = true
                if digits.isEmpty && byte == UInt8(ascii: "0") {
                    if sawPoint { exponent -= 1 }
                    continue
                }
                digits.append(byte)
                if sawPoint { exponent -= 1 }
            } else {
                return nil
            }
        }
        guard sawDigit else { return nil }
        if !bytes.isEmpty {
            bytes = bytes.dropFirst()  // the e or E
            let negative = bytes.first == UInt8(ascii: "-")
            if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
            guard !bytes.isEmpty, bytes.count < 10,
                  bytes.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
                  let value = Int(String(decoding: bytes, as: UTF8.self))
            else { return nil }
            exponent += negative ? -value : value
        }
        while digits.last == UInt8(ascii: "0") {
            digits.removeLast()
            exponent += 1
        }
        if digits.isEmpty { exponent = 0; isNegative = false }
        self.digits = digits
        self.exponent = exponent
    }
}

extension Float: DatabaseValueConvertible {
    public static var columnType: ColumnType { .real }
    public var databaseValue: DatabaseValue { .real(Double(self)) }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Float? {
        Double.fromDatabaseValue(value).flatMap { Float(exactly: $0) }
    }
}

extension Bool: DatabaseValueConvertible {
    public static var columnType: ColumnType { .boolean }
    @inlinable public var databaseValue: DatabaseValue { .integer(self ? 1 : 0) }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Bool? {
        switch value {
        case .integer(0): return false
        case .integer(1): return true
        case .real(0): return false
        case .real(1): return true
        case .text(let text):
            switch text.trimmingSpaces().lowercased() {
            case "0", "f", "false": return false
            case "1", "t", "true": return true
            default: return nil
            }
        default: return nil
        }
    }
}

extension String: DatabaseValueConvertible {
    public static var columnType: ColumnType { .text }
    @inlinable public var databaseValue: DatabaseValue { .text(self) }
    @inlinable
    public static func fromDatabaseValue(_ value: DatabaseValue) -> String? {
        switch value {
        case .text(let text): return text
        // Numbers read as text losslessly; blobs and NULL do not.
        case .integer(let integer): return String(integer)
        case .real(let real): return String(real)
        case .null, .blob: return nil
        }
    }
    @inlinable
    public static func read(from row: Row, at index: Int) -> String? {
        if let text = row.text(at: index) { return text }
        return fromDatabaseValue(row.databaseValue(at: index))
    }
}

extension Array: DatabaseValueConvertible where Element == UInt8 {
    public static var columnType: ColumnType { .blob }
    public var databaseValue: DatabaseValue { .blob(self) }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> [UInt8]? {
        switch value {
        case .blob(let bytes): return bytes
        case .text(let text): return Array(text.utf8)
        default: return nil
        }
    }
}

extension Data: DatabaseValueConvertible {
    public static var columnType: ColumnType { .blob }
    public var databaseValue: DatabaseValue { .blob([UInt8](self)) }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Data? {
        [UInt8].fromDatabaseValue(value).map { Data($0) }
    }
}

extension UUID: DatabaseValueConvertible {
    public static var columnType: ColumnType { .uuid }
    /// Stored as its canonical lowercase text, which PostgreSQL's `uuid` type also accepts.
    public var databaseValue: DatabaseValue { .text(uuidString.lowercased()) }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> UUID? {
        switch value {
        case .text(let text): return UUID(uuidString: text)
        case .blob(let bytes) where bytes.count == 16:
            return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                               bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
        default: return nil
        }
    }
}

extension Date: DatabaseValueConvertible {
    public static var columnType: ColumnType { .timestamp }
    /// Stored as ISO 8601 text in UTC to the millisecond (`2026-11-21T06:30:00.000Z`), which
    /// sorts correctly as text within years 1 to 9999 and which PostgreSQL's `timestamptz`
    /// accepts; earlier dates end in ` BC`. A date with a ``storageProblem`` (not finite, or
    /// outside 4714 BC to 294276 AD) is never written; its value here is its seconds.
    public var databaseValue: DatabaseValue {
        TimestampParser.string(from: self).map(DatabaseValue.text) ?? .real(timeIntervalSince1970)
    }
    public var storageProblem: String? { TimestampParser.problem(self) }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Date? {
        switch value {
        case .text(let text): return TimestampParser.date(from: text)
        case .integer(let seconds) where TimestampParser.isStorable(seconds: Double(seconds)):
            return Date(timeIntervalSince1970: TimeInterval(seconds))
        case .real(let seconds) where TimestampParser.isStorable(seconds: seconds):
            return Date(timeIntervalSince1970: seconds)
        default: return nil
        }
    }
}

extension String {
    @usableFromInline
    func trimmingSpaces() -> Substring {
        var slice = Substring(self)
        while let first = slice.first, first == " " { slice.removeFirst() }
        while let last = slice.last, last == " " { slice.removeLast() }
        return slice
    }
}
