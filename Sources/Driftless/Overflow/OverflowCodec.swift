/// How values kept for missing columns are written into, and read out of, a table's overflow
/// JSON column (``MissingColumnWritePolicy/keep``).
///
/// Every value is self-describing, so that the mover needs no record to put it back into the
/// column that appears later, and reads back exactly: NULL as `null`, an integer as a JSON
/// integer (all 64 bits: it is never read as a double), text as a JSON string, and what JSON
/// cannot carry exactly as an object: a real as its shortest exact text,
/// `{"$real": "0.1" | "-0.0" | "Infinity" | "NaN"}` (PostgreSQL's `jsonb` would turn a number
/// into a decimal: `1e300` into 301 digits, `-0.0` into `0`), bytes as `{"$blob": "<hex>"}`. Booleans are integers (0, 1) and dates their ISO 8601 text, as the
/// columns store them.
public enum OverflowCodec {
    /// The JSON key a column's value is kept under: its name, unless the name holds `"`,
    /// `\` or a control character (which SQLite's JSON paths cannot address), then `~` and
    /// the hex of its UTF-8 bytes.
    public static func key(for column: String) -> String {
        let addressable = !column.hasPrefix("~") && column.unicodeScalars.allSatisfy {
            $0 != "\"" && $0 != "\\" && $0.value >= 0x20 && $0.value != 0x7F
        }
        if addressable { return column }
        return "~" + column.utf8.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }

    /// A value as JSON text.
    public static func encode(_ value: DatabaseValue) -> String {
        switch value {
        case .null: return "null"
        case .integer(let integer): return String(integer)
        case .text(let text): return jsonString(text)
        case .real(let real):
            let text = real.isNaN ? "NaN" : real.isInfinite ? (real > 0 ? "Infinity" : "-Infinity") : "\(real)"
            return "{\"$real\":\"\(text)\"}"
        case .blob(let bytes):
            let digits: [UInt8] = Array("0123456789abcdef".utf8)
            var hex: [UInt8] = []
            hex.reserveCapacity(bytes.count * 2)
            for byte in bytes {
                hex.append(digits[Int(byte >> 4)])
                hex.append(digits[Int(byte & 0x0F)])
            }
            return "{\"$blob\":\"" + String(decoding: hex, as: UTF8.self) + "\"}"
        }
    }

    /// The value a JSON fragment written by ``encode(_:)`` holds (also after PostgreSQL's
    /// `jsonb` re-rendered it: numbers normalised, spaces added), or nil if it is not one.
    public static func decode(_ json: String) -> DatabaseValue? {
        var parser = JSONParser(Array(json.utf8))
        guard let value = parser.parseValue(), parser.atEnd else { return nil }
        return value.databaseValue
    }

    /// The keys and values of an overflow object, or nil if the text is not a JSON object.
    public static func decodeObject(_ json: String) -> [(key: String, value: DatabaseValue?)]? {
        var parser = JSONParser(Array(json.utf8))
        guard case .object(let members)? = parser.parseValue(), parser.atEnd else { return nil }
        return members.map { ($0.key, $0.value.databaseValue) }
    }

    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let digits = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

/// A JSON value as the overflow codec reads it: numbers keep their text.
private indirect enum JSONValue {
    case null, bool(Bool), number(String), string(String), array([JSONValue])
    case object([(key: String, value: JSONValue)])

    var databaseValue: DatabaseValue? {
        switch self {
        case .null: return .null
        case .bool(let bool): return .integer(bool ? 1 : 0)
        case .string(let text): return .text(text)
        case .number(let text):
            let isReal = text.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
            if !isReal, let integer = Int64(text) { return .integer(integer) }
            return Double(text).map(DatabaseValue.real)
        case .array: return nil
        case .object(let members):
            guard members.count == 1, case .string(let text) = members[0].value else { return nil }
            switch members[0].key {
            case "$real":
                switch text {
                case "NaN": return .real(.nan)
                case "Infinity": return .real(.infinity)
                case "-Infinity": return .real(-.infinity)
                case "-0.0": return .real(-0.0)
                default: return Double(text).map(DatabaseValue.real)
                }
            case "$blob":
                let hex = Array(text.utf8)
                guard hex.count % 2 == 0 else { return nil }
                var bytes: [UInt8] = []
                bytes.reserveCapacity(hex.count / 2)
                var index = 0
                while index < hex.count {
                    guard let high = nibble(hex[index]), let low = nibble(hex[index + 1]) else { return nil }
                    bytes.append(high << 4 | low)
                    index += 2
                }
                return .blob(bytes)
            default: return nil
            }
        }
    }

    private func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// A small, strict JSON reader (RFC 8259) that keeps numbers as text.
private struct JSONParser {
    let bytes: [UInt8]
    var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool {
        mutating get { skipSpace(); return position == bytes.count }
    }

    mutating func skipSpace() {
        while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
    }

    mutating func parseValue(depth: Int = 0) -> JSONValue? {
        guard depth < 64 else { return nil }
        skipSpace()
        guard position < bytes.count else { return nil }
        switch bytes[position] {
        case UInt8(ascii: "{"):
            position += 1
            var members: [(key: String, value: JSONValue)] = []
            skipSpace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
            while true {
                skipSpace()
                guard case .string(let key)? = parseString() else { return nil }
                skipSpace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { return nil }
                position += 1
                guard let value = parseValue(depth: depth + 1) else { return nil }
                members.append((key, value))
                skipSpace()
                guard position < bytes.count else { return nil }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                if bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
                return nil
            }
        case UInt8(ascii: "["):
            position += 1
            var elements: [JSONValue] = []
            skipSpace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") { position += 1; return .array(elements) }
            while true {
                guard let value = parseValue(depth: depth + 1) else { return nil }
                elements.append(value)
                skipSpace()
                guard position < bytes.count else { return nil }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                if bytes[position] == UInt8(ascii: "]") { position += 1; return .array(elements) }
                return nil
            }
        case UInt8(ascii: "\""):
            return parseString()
        case UInt8(ascii: "t"): return literal("true", .bool(true))
        case UInt8(ascii: "f"): return literal("false", .bool(false))
        case UInt8(ascii: "n"): return literal("null", .null)
        default:
            let start = position
            while position < bytes.count, "+-0123456789.eE".utf8.contains(bytes[position]) { position += 1 }
            guard position > start else { return nil }
            return .number(String(decoding: bytes[start..<position], as: UTF8.self))
        }
    }

    private mutating func literal(_ word: String, _ value: JSONValue) -> JSONValue? {
        let word = Array(word.utf8)
        guard position + word.count <= bytes.count, Array(bytes[position..<position + word.count]) == word else { return nil }
        position += word.count
        return value
    }

    private mutating func parseString() -> JSONValue? {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { return nil }
        position += 1
        var out: [UInt8] = []
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            if byte == UInt8(ascii: "\"") { return String(validating: out, as: UTF8.self).map(JSONValue.string) }
            guard byte == UInt8(ascii: "\\") else { out.append(byte); continue }
            guard position < bytes.count else { return nil }
            let escape = bytes[position]
            position += 1
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard var unit = hex4() else { return nil }
                if (0xD800..<0xDC00).contains(unit) {
                    guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                          bytes[position + 1] == UInt8(ascii: "u") else { return nil }
                    position += 2
                    guard let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                    unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(unit) else { return nil }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            default: return nil
            }
        }
        return nil
    }

    private mutating func hex4() -> UInt32? {
        guard position + 4 <= bytes.count,
              let value = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16)
        else { return nil }
        position += 4
        return value
    }
}
