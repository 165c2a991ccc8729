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
    /// The longest identifier the database keeps, in UTF-8 bytes (PostgreSQL silently cuts
    /// longer ones to 63), or nil for no limit.
    public var maximumIdentifierLength: Int?
    /// Why a value has no literal of a column type that reads back as itself (SQLite: NaN,
    /// which it turns into NULL; PostgreSQL: text holding NUL), or nil. Checked before a
    /// default is rendered into a plan or DDL, so that what cannot be served as declared is an
    /// error naming the column rather than a syntax error or another value.
    public var literalProblem: @Sendable (DatabaseValue, ColumnType) -> String?
    /// Whether the database's command-line tool, which runs offline scripts, reads CR LF as
    /// LF (the `sqlite3` shell does), so that a script cannot carry CR LF inside a name or a
    /// literal: ``literal`` then writes such text another way, and offline rendering rejects
    /// a name holding it.
    public var scriptReaderNormalizesLineEndings: Bool

    public init(
        name: String,
        identifiersAreCaseInsensitive: Bool,
        placeholder: @escaping @Sendable (Int) -> String,
        literal: @escaping @Sendable (DatabaseValue, ColumnType) -> String,
        typeName: @escaping @Sendable (ColumnType) -> String,
        maximumIdentifierLength: Int? = nil,
        literalProblem: @escaping @Sendable (DatabaseValue, ColumnType) -> String? = { _, _ in nil },
        scriptReaderNormalizesLineEndings: Bool = false
    ) {
        self.name = name
        self.identifiersAreCaseInsensitive = identifiersAreCaseInsensitive
        self.placeholder = placeholder
        self.literal = literal
        self.typeName = typeName
        self.maximumIdentifierLength = maximumIdentifierLength
        self.literalProblem = literalProblem
        self.scriptReaderNormalizesLineEndings = scriptReaderNormalizesLineEndings
    }

    /// An identifier in double quotes, inner quotes doubled: safe for any name that
    /// ``identifierProblem(_:)`` accepts.
    @inlinable
    public func quote(_ identifier: String) -> String {
        identifier.quoted(with: "\"")
    }

    /// A possibly schema-qualified table name, quoted.
    public func quote(_ table: TableName) -> String {
        if let schema = table.schema { return quote(schema) + "." + quote(table.name) }
        return quote(table.name)
    }

    /// Why a name cannot be used as an identifier of this database, or nil: it is empty,
    /// holds a NUL (SQL text ends there), or is longer than the database keeps.
    public func identifierProblem(_ identifier: String) -> String? {
        if identifier.isEmpty { return "the name is empty" }
        if identifier.utf8.contains(0) { return "the name contains a NUL character, which SQL text cannot carry" }
        if let maximum = maximumIdentifierLength, identifier.utf8.count > maximum {
            return "the name is \(identifier.utf8.count) bytes long and \(name) keeps only the first \(maximum)"
        }
        return nil
    }

    /// Whether two identifiers name the same object: byte for byte, or ignoring the case of
    /// ASCII letters where identifiers are case-insensitive (SQLite folds ASCII only, so
    /// `É` and `é` are different columns). Never Swift's `==`, which equates canonically
    /// equivalent strings that the databases keep apart (`é` and `e` + U+0301).
    public func sameIdentifier(_ lhs: String, _ rhs: String) -> Bool {
        IdentifierKey(lhs, caseInsensitive: identifiersAreCaseInsensitive)
            == IdentifierKey(rhs, caseInsensitive: identifiersAreCaseInsensitive)
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
