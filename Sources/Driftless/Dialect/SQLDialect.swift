/// The few ways the SQL Driftless renders differs between databases.
///
/// Everything else (quoted identifiers, `ON CONFLICT ... DO UPDATE`, `RETURNING`,
/// `LIMIT ... OFFSET`) is the SQL that SQLite 3.35+ and PostgreSQL share.
public struct SQLDialect: Sendable {
    /// A short name for messages (`sqlite`, `postgres`).
    public var name: String
    /// Whether quoted identifiers match case-insensitively (SQLite) or exactly (PostgreSQL).
    public var identifiersAreCaseInsensitive: Bool
    /// The placeholder of the n-th (1-based) bound parameter: `?` or `$n`.
    public var placeholder: @Sendable (Int) -> String
    /// A literal for a value, used only for declared defaults in projected plans and DDL.
    public var literal: @Sendable (DatabaseValue, ColumnType) -> String
    /// The type name used when creating a column of this type.
    public var typeName: @Sendable (ColumnType) -> String

    public init(
        name: String,
        identifiersAreCaseInsensitive: Bool,
        placeholder: @escaping @Sendable (Int) -> String,
        literal: @escaping @Sendable (DatabaseValue, ColumnType) -> String,
        typeName: @escaping @Sendable (ColumnType) -> String
    ) {
        self.name = name
        self.identifiersAreCaseInsensitive = identifiersAreCaseInsensitive
        self.placeholder = placeholder
        self.literal = literal
        self.typeName = typeName
    }

    /// An identifier in double quotes, inner quotes doubled: safe for any name.
    @inlinable
    public func quote(_ identifier: String) -> String {
        identifier.quoted(with: "\"")
    }

    /// A possibly schema-qualified table name, quoted.
    public func quote(_ table: TableName) -> String {
        if let schema = table.schema { return quote(schema) + "." + quote(table.name) }
        return quote(table.name)
    }

    /// The standard SQL literal of a value (text quoted with inner quotes doubled).
    public static func standardLiteral(_ value: DatabaseValue) -> String {
        switch value {
        case .null: return "NULL"
        case .integer(let integer): return String(integer)
        case .real(let real):
            if real.isNaN { return "NULL" }
            if real.isInfinite { return real > 0 ? "9e999" : "-9e999" }
            return String(real)
        case .text(let text): return text.quoted(with: "'")
        case .blob(let bytes):
            return "X'" + bytes.map { byte in
                let digits = String(byte, radix: 16, uppercase: true)
                return digits.count == 1 ? "0" + digits : digits
            }.joined() + "'"
        }
    }
}
