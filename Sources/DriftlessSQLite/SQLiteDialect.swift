import Driftless

extension SQLDialect {
    /// SQLite's flavour: `?` placeholders, case-insensitive identifiers, type affinities.
    public static let sqlite = SQLDialect(
        name: "sqlite",
        identifiersAreCaseInsensitive: true,
        placeholder: { _ in "?" },
        literal: { value, _ in SQLDialect.standardLiteral(value) },
        typeName: { type in
            switch type {
            case .integer: "INTEGER"
            case .real: "REAL"
            case .text, .timestamp, .uuid: "TEXT"
            case .blob: "BLOB"
            case .boolean: "BOOLEAN"
            }
        }
    )
}
