import Driftless

extension SQLDialect {
    /// PostgreSQL's flavour: `$n` placeholders, case-sensitive quoted identifiers, and typed
    /// literals (`CAST(0 AS bigint)`, `FALSE`, `'\x00ff'::bytea`) so that a projected column
    /// has the declared column's type and a filter comparing it with a parameter infers the
    /// parameter's type from it.
    public static let postgres = SQLDialect(
        name: "postgres",
        identifiersAreCaseInsensitive: false,
        placeholder: { "$\($0)" },
        literal: { value, type in PostgresLiteral.literal(value, type) },
        typeName: { PostgresLiteral.typeName($0) },
        maximumIdentifierLength: 63,
        literalProblem: { value, _ in PostgresLiteral.problem(value) }
    )
}

enum PostgresLiteral {
    static func typeName(_ type: ColumnType) -> String {
        switch type {
        case .integer: "bigint"
        case .real: "double precision"
        case .text: "text"
        case .blob: "bytea"
        case .boolean: "boolean"
        case .timestamp: "timestamptz"
        case .uuid: "uuid"
        }
    }

    static func literal(_ value: DatabaseValue, _ type: ColumnType) -> String {
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
            return "CAST('\(text)' AS \(type == .text ? "text" : "double precision"))"
        case (.real(let real), .real):
            // Through float8's own input, which reads Swift's shortest form exactly (a
            // numeric literal would lose the sign of -0.0).
            return "CAST('\(real)' AS double precision)"
        case (.blob(let bytes), _):
            return "'\\x" + hex(bytes) + "'::bytea"
        default:
            return "CAST(" + SQLDialect.standardLiteral(value) + " AS \(name))"
        }
    }

    static func problem(_ value: DatabaseValue) -> String? {
        if case .text(let text) = value, text.utf8.contains(0) {
            return "PostgreSQL text cannot hold a NUL character"
        }
        return nil
    }

    static func hex(_ bytes: [UInt8]) -> String {
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
