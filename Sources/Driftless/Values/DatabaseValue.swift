import Foundation

/// A value as the database stores it: the storage classes SQLite and PostgreSQL share.
///
/// Every value Driftless sends to a database is a bound parameter of this type, never text
/// spliced into SQL, and every value it reads arrives as one before a record decodes it.
public enum DatabaseValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    /// Whether the value is SQL NULL.
    @inlinable
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// A text value as a backend read it: `.text` when the bytes are UTF-8, else `.blob` of
    /// the bytes, so that they are never silently replaced by U+FFFD (and written back so):
    /// a `String` property then fails with a type mismatch naming the row, a byte property
    /// gets the bytes exactly.
    @inlinable
    public init(text bytes: UnsafeBufferPointer<UInt8>) {
        if let text = DatabaseValue.string(validating: bytes) {
            self = .text(text)
        } else {
            self = .blob(Array(bytes))
        }
    }

    /// The string of UTF-8 bytes, or nil if they are not valid UTF-8 (never repaired).
    ///
    /// `String(validating:as:)` runs unspecialised for its encoding and looks up generic
    /// metadata on every call; decoding (which repairs) and comparing the result with the
    /// bytes is exact, since a repair always changes the bytes.
    public static func string(validating bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var text = String(decoding: bytes, as: UTF8.self)
        let unchanged = text.withUTF8 { decoded in
            decoded.count == bytes.count
                && (bytes.isEmpty || memcmp(decoded.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
        }
        return unchanged ? text : nil
    }

    /// The storage class of the value, for error messages.
    public var storageClassName: String {
        switch self {
        case .null: "NULL"
        case .integer: "INTEGER"
        case .real: "REAL"
        case .text: "TEXT"
        case .blob: "BLOB"
        }
    }
}

extension DatabaseValue: CustomStringConvertible {
    /// A short, SQL-like rendering for logs and errors (`42`, `'text'`, `NULL`, `X'00FF'`).
    public var description: String {
        switch self {
        case .null: return "NULL"
        case .integer(let value): return String(value)
        case .real(let value): return String(value)
        case .text(let value):
            let shown = value.count > 64 ? value.prefix(61) + "..." : Substring(value)
            return String(shown).quoted(with: "'")
        case .blob(let bytes):
            let hex = bytes.prefix(32).map { byte in
                let digits = String(byte, radix: 16, uppercase: true)
                return digits.count == 1 ? "0" + digits : digits
            }.joined()
            return "X'" + hex + (bytes.count > 32 ? "...'" : "'")
        }
    }
}

extension DatabaseValue: ExpressibleByNilLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByBooleanLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .real(value) }
    public init(stringLiteral value: String) { self = .text(value) }
    public init(booleanLiteral value: Bool) { self = .integer(value ? 1 : 0) }
}
