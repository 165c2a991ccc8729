import Driftless

/// PostgreSQL's SQL: `$n` placeholders, case-sensitive quoted identifiers, identifiers of
/// at most 63 bytes, text without NUL, and typed literals (`CAST(0 AS bigint)`, `FALSE`,
/// `'\x00ff'::bytea`) so that a projected column has the declared column's type and a filter
/// comparing it with a parameter infers the parameter's type from it.
public struct PostgresDialect: SQLDialect {
    public init() {}

    public var name: String { "postgres" }

    public var identifiersAreCaseInsensitive: Bool { false }

    public func placeholder(_ position: Int) -> String { "$\(position)" }

    public func typeName(_ type: ColumnType) -> String {
        switch type {
        case .integer: "bigint"
        case .real: "double precision"
        case .text: "text"
        case .blob: "bytea"
        case .boolean: "boolean"
        case .timestamp: "timestamptz"
        case .uuid: "uuid"
        case .decimal: "numeric"
        case .json: "jsonb"
        }
    }

    public func literal(_ value: DatabaseValue, _ type: ColumnType) -> String {
        let name = typeName(type)
        switch (value, type) {
        case (.null, _):
            return "CAST(NULL AS \(name))"
        case (.integer(let integer), .boolean):
            return integer == 0 ? "FALSE" : "TRUE"
        case (.real(let real), .boolean):
            return real == 0 ? "FALSE" : "TRUE"
        case (.integer(let seconds), .timestamp):
            return "to_timestamp(\(seconds))"
        case (.real(let seconds), .timestamp) where seconds.isFinite:
            return "to_timestamp(\(seconds))"
        case (.real(let real), _) where !real.isFinite:
            let text = real.isNaN ? "NaN" : (real > 0 ? "Infinity" : "-Infinity")
            return "CAST(" + standardLiteral(.text(text)) + " AS \(type == .text ? "text" : "double precision"))"
        case (.real(let real), .real):
            // Through float8's own input, which reads Swift's shortest form exactly (a
            // numeric literal would lose the sign of -0.0).
            return "CAST(" + standardLiteral(.text(String(real))) + " AS double precision)"
        case (.blob(let bytes), _):
            return standardLiteral(.text("\\x" + Self.hex(bytes))) + "::bytea"
        default:
            return "CAST(" + standardLiteral(value) + " AS \(name))"
        }
    }

    /// PostgreSQL cuts longer names to 63 bytes without an error.
    public var maximumIdentifierLength: Int? { 63 }

    /// libpq's strings end at NUL, so text holding one cannot be sent or rendered.
    public func literalProblem(_ value: DatabaseValue, _ type: ColumnType) -> String? {
        if case .text(let text) = value, text.utf8.contains(0) {
            return "PostgreSQL text cannot hold a NUL character"
        }
        return nil
    }

    /// Bytes as lower-case hex digits, as `bytea`'s hex format spells them.
    package static func hex(_ bytes: [UInt8]) -> String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

extension SQLDialect where Self == PostgresDialect {
    /// PostgreSQL's dialect, wherever a dialect is expected: `MigrationLinter(dialect: .postgres)`.
    public static var postgres: PostgresDialect { PostgresDialect() }
}

extension PostgresDialect {
    /// `jsonb_typeof` names the field's JSON type (NULL when absent); `->>` its text.
    public func jsonFieldTest(_ document: String, field: String, _ kind: JSONFieldKind, value: String?) -> String {
        let key = standardLiteral(.text(field))
        let field = "(" + document + " -> " + key + ")"
        let type = "jsonb_typeof" + field
        switch kind {
        case .string: return "(" + type + " = 'string' AND (" + document + " ->> " + key + ") = " + (value ?? "NULL") + ")"
        case .number:
            return "(" + type + " = 'number' AND CAST(" + document + " ->> " + key + " AS numeric) = CAST("
                + (value ?? "NULL") + " AS numeric))"
        case .boolean(let flag): return "(" + type + " = 'boolean' AND " + field + " = '" + (flag ? "true" : "false") + "'::jsonb)"
        case .null: return "(" + type + " = 'null')"
        case .missing: return "(" + type + " IS NULL)"
        }
    }

    /// `translate` over the 26 ASCII letters: PostgreSQL's `lower` follows the locale.
    public func asciiLowercase(_ value: String) -> String {
        "translate(" + value + ", 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
    }

    /// With `ESCAPE ''` when there is no escape character: PostgreSQL's LIKE would otherwise
    /// treat `\` as one.
    public func like(_ value: String, pattern: String, escape: String?) -> String {
        "(" + value + " LIKE " + pattern + " ESCAPE " + (escape ?? "''") + ")"
    }
}
