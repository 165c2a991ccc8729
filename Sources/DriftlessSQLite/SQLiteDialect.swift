import Driftless

/// SQLite's SQL: `?` placeholders, case-insensitive identifiers, type affinities and plain
/// standard literals.
public struct SQLiteDialect: SQLDialect {
    public init() {}

    public var name: String { "sqlite" }

    public var identifiersAreCaseInsensitive: Bool { true }

    public func placeholder(_ position: Int) -> String { "?" }

    public func literal(_ value: DatabaseValue, _ type: ColumnType) -> String {
        standardLiteral(value)
    }

    public func typeName(_ type: ColumnType) -> String {
        switch type {
        case .integer: "INTEGER"
        case .real: "REAL"
        case .text, .timestamp, .uuid: "TEXT"
        case .blob: "BLOB"
        case .boolean: "BOOLEAN"
        }
    }
}

extension SQLDialect where Self == SQLiteDialect {
    /// SQLite's dialect, wherever a dialect is expected: `MigrationLinter(dialect: .sqlite)`.
    public static var sqlite: SQLiteDialect { SQLiteDialect() }
}
