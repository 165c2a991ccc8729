/// What one database's SQL looks like, as the core renders it: each backend owns a type that
/// conforms (`SQLiteDialect`, `PostgresDialect`) and says what its database does.
///
/// Code never asks which database it talks to; it asks the dialect for the capability it
/// needs (a placeholder, a literal, how names compare), so a new backend is a new conforming
/// type and touches no shared code. Migrations refine this protocol with what DDL needs
/// (`MigrationDialect`). Everything else (quoted identifiers, `ON CONFLICT ... DO UPDATE`,
/// `RETURNING`, `LIMIT ... OFFSET`) is the SQL that SQLite 3.35+ and PostgreSQL share.
public protocol SQLDialect: Sendable {
    /// A short name for messages and logs (`sqlite`, `postgres`). Not for deciding what SQL
    /// to write: ask for a capability instead.
    var name: String { get }
    /// Whether quoted identifiers match case-insensitively (SQLite) or exactly (PostgreSQL).
    var identifiersAreCaseInsensitive: Bool { get }
    /// The placeholder of the n-th (1-based) bound parameter: `?` or `$n`.
    func placeholder(_ position: Int) -> String
    /// A literal for a value of a column of `type`: declared defaults in projected plans and
    /// DDL. Text goes through ``standardLiteral(_:)``, the one place literals are quoted.
    func literal(_ value: DatabaseValue, _ type: ColumnType) -> String
    /// The type name used when creating a column of this type.
    func typeName(_ type: ColumnType) -> String
    /// The longest identifier the database keeps, in UTF-8 bytes (PostgreSQL silently cuts
    /// longer ones to 63), or nil for no limit (the default).
    var maximumIdentifierLength: Int? { get }
    /// Why a value has no literal of a column type that reads back as itself (SQLite: NaN,
    /// which it turns into NULL; PostgreSQL: text holding NUL), or nil (the default). Checked
    /// before a default is rendered into a plan or DDL, so that what cannot be served as
    /// declared is an error naming the column rather than a syntax error or another value.
    func literalProblem(_ value: DatabaseValue, _ type: ColumnType) -> String?

    // MARK: Overflow JSON (see OverflowCodec; every key is one `OverflowCodec.key(for:)` made)

    /// The empty overflow object, typed as the overflow column (`'{}'`, `'{}'::jsonb`).
    var emptyOverflow: String { get }
    /// The JSON text of `key` in the overflow `column` (an SQL expression), or NULL when the
    /// key is absent (JSON `null` is the text `null`, not NULL).
    func overflowFragment(_ column: String, key: String) -> String
    /// The value of `key` in the overflow `column` as a value of a column of `type`, for
    /// comparisons and ordering; NULL when absent or JSON `null`.
    func overflowValue(_ column: String, key: String, type: ColumnType) -> String
    /// `base` (an overflow object) with each key set to the JSON text of its `values`
    /// expression.
    func overflowSetting(_ base: String, keys: [String], values: [String]) -> String
    /// `base` without these keys.
    func overflowRemoving(_ base: String, keys: [String]) -> String
    /// A condition: the overflow `column` holds at least one of these keys.
    func overflowHoldsAny(_ column: String, keys: [String]) -> String
    /// The SQL that bounds how long the next statements of the current transaction wait for
    /// a lock (PostgreSQL `SET LOCAL lock_timeout`), or nil where waits are bounded otherwise
    /// (SQLite's busy timeout).
    func localLockTimeout(milliseconds: Int) -> String?
    /// A column every row has that identifies it within one statement (`rowid`, `ctid`), for
    /// batched updates of tables without a primary key; nil if there is none.
    var rowLocator: String? { get }
}

extension SQLDialect {
    /// No limit.
    public var maximumIdentifierLength: Int? { nil }

    /// Every value has an exact literal.
    public func literalProblem(_ value: DatabaseValue, _ type: ColumnType) -> String? { nil }

    /// An identifier in double quotes, inner quotes doubled: safe for any name that
    /// ``identifierProblem(_:)`` accepts. Every name Driftless renders, in the core and in
    /// migrations, goes through here.
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

    /// The standard SQL literal of a value (text quoted with inner quotes doubled): the one
    /// implementation every dialect's literals and offline values are built on.
    public func standardLiteral(_ value: DatabaseValue) -> String {
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
