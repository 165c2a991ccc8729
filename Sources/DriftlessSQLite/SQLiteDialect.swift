import Driftless

/// SQLite's SQL: `?` placeholders, case-insensitive identifiers, type affinities, and
/// literals that read back exactly as the value they render (NaN, which SQLite stores as
/// NULL, has none).
public struct SQLiteDialect: SQLDialect {
    public init() {}

    public var name: String { "sqlite" }

    public var identifiersAreCaseInsensitive: Bool { true }

    public func placeholder(_ position: Int) -> String { "?" }

    public func literal(_ value: DatabaseValue, _ type: ColumnType) -> String {
        switch value {
        case .real(let real) where real.isFinite:
            return Self.exactReal(real)
        case .text(let text) where text.utf8.contains(0) || Self.holdsCRLF(text):
            // SQL text ends at NUL, and the sqlite3 shell reads CR LF as LF in a script: the
            // bytes of a blob cast to text keep both.
            return "(CAST(" + standardLiteral(.blob(Array(text.utf8))) + " AS TEXT))"
        default:
            return standardLiteral(value)
        }
    }

    public func literalProblem(_ value: DatabaseValue, _ type: ColumnType) -> String? {
        if case .real(let real) = value, real.isNaN { return "SQLite cannot hold NaN (it stores NULL instead)" }
        return nil
    }

    public func typeName(_ type: ColumnType) -> String {
        switch type {
        case .integer: "INTEGER"
        case .real: "REAL"
        case .text, .timestamp, .uuid, .decimal, .json: "TEXT"
        case .blob: "BLOB"
        case .boolean: "BOOLEAN"
        }
    }
}

extension SQLDialect where Self == SQLiteDialect {
    /// SQLite's dialect, wherever a dialect is expected: `MigrationLinter(dialect: .sqlite)`.
    public static var sqlite: SQLiteDialect { SQLiteDialect() }
}

extension SQLiteDialect {
    /// Whether text holds CR LF, which the `sqlite3` shell reads as LF in a script.
    private static func holdsCRLF(_ text: String) -> Bool {
        zip(text.utf8, text.utf8.dropFirst()).contains { $0 == UInt8(ascii: "\r") && $1 == UInt8(ascii: "\n") }
    }

    /// A finite double as SQLite reads it back bit for bit. SQLite's decimal parser rounds
    /// about one literal in ten thousand to a neighbouring double, so a decimal is written
    /// only when it is the double's exact value in at most 18 digits (`2.5`, `-0.0`, `42.0`),
    /// which SQLite reads with one exact division; any other value is its integer significand
    /// scaled by powers of two, which double arithmetic does exactly: `0.1` is
    /// `(CAST(3602879701896397 AS REAL) / 36028797018963968)`. (SQLite's `ALTER TABLE ADD
    /// COLUMN` refuses such an expression as a default; the migrator rebuilds the table then.)
    private static func exactReal(_ real: Double) -> String {
        if real == 0 { return real.sign == .minus ? "-0.0" : "0.0" }
        var significand = Int64(real.significandBitPattern) | (real.isNormal ? 1 << 52 : 0)
        var exponent = (real.isNormal ? Int(real.exponent) : -1022) - 52
        while significand & 1 == 0 { significand >>= 1; exponent += 1 }
        let sign = real.sign == .minus ? "-" : ""
        if let decimal = exactDecimal(significand: significand, exponent: exponent) { return sign + decimal }
        var text = "(CAST(" + sign + String(significand) + " AS REAL)"
        let operation = exponent < 0 ? " / " : " * "
        var remaining = exponent.magnitude
        while remaining > 0 {
            let step = min(remaining, 62)
            text += operation + String(Int64(1) << step)
            remaining -= step
        }
        return text + ")"
    }

    /// `significand × 2^exponent` as a decimal of at most 18 digits with a point, if it has one:
    /// `5 × 2^-1` is `2.5` (5 × 5 tenths).
    private static func exactDecimal(significand: Int64, exponent: Int) -> String? {
        if exponent >= 0 {
            guard exponent < 63, significand <= Int64.max >> exponent else { return nil }
            let value = significand << exponent
            return value < 1_000_000_000_000_000_000 ? String(value) + ".0" : nil
        }
        var digits = significand
        for _ in 0 ..< -exponent {
            let (product, overflow) = digits.multipliedReportingOverflow(by: 5)
            guard !overflow, product < 1_000_000_000_000_000_000 else { return nil }
            digits = product
        }
        var text = String(digits)
        let places = -exponent
        if text.count <= places { text = String(repeating: "0", count: places - text.count + 1) + text }
        text.insert(".", at: text.index(text.endIndex, offsetBy: -places))
        return text
    }
}

extension SQLiteDialect {
    /// `json_type` names the field's JSON type (NULL when absent); `json_extract` its value.
    public func jsonFieldTest(_ document: String, field: String, _ kind: JSONFieldKind, value: String?) -> String {
        let path = standardLiteral(.text("$." + Self.jsonPathKey(field)))
        let type = "json_type(" + document + ", " + path + ")"
        switch kind {
        case .string: return "(" + type + " = 'text' AND json_extract(" + document + ", " + path + ") = " + (value ?? "NULL") + ")"
        case .number: return "(" + type + " IN ('integer', 'real') AND json_extract(" + document + ", " + path + ") = " + (value ?? "NULL") + ")"
        case .boolean(let flag): return "(" + type + " = '" + (flag ? "true" : "false") + "')"
        case .null: return "(" + type + " = 'null')"
        case .missing: return "(" + type + " IS NULL)"
        }
    }

    /// A JSON path key in double quotes (SQLite reads `$."a.b"` as the key `a.b`; it has no
    /// escape for `"` inside, which `Condition/json(_:_:_:)` refuses).
    private static func jsonPathKey(_ field: String) -> String { "\"" + field + "\"" }

    /// SQLite's `lower` folds ASCII letters only (without ICU, as Driftless links it).
    public func asciiLowercase(_ value: String) -> String { "lower(" + value + ")" }

    /// Case-sensitive, as on PostgreSQL: every connection turns `case_sensitive_like` on.
    public func like(_ value: String, pattern: String, escape: String?) -> String {
        let escapeClause = escape.map { " ESCAPE " + $0 } ?? ""
        return "(" + value + " LIKE " + pattern + escapeClause + ")"
    }
}
