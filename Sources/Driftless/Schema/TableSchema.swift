/// The columns a table really has, as a backend reflects them from the live database.
public struct TableSchema: Sendable, Hashable {
    /// One reflected column.
    public struct Column: Sendable, Hashable {
        public var name: String
        /// The declared type as the database spells it (`INTEGER`, `character varying`, ...).
        public var declaredType: String
        public var isNotNull: Bool
        /// The column's default as SQL text, or nil when it has none.
        public var defaultSQL: String?
        /// Whether the column is part of the primary key.
        public var isPrimaryKey: Bool
        /// Whether the database fills the column itself on insert (SQLite's rowid alias,
        /// PostgreSQL identity and serial columns, generated columns).
        public var isGenerated: Bool

        public init(
            name: String, declaredType: String, isNotNull: Bool, defaultSQL: String?,
            isPrimaryKey: Bool, isGenerated: Bool = false
        ) {
            self.name = name
            self.declaredType = declaredType
            self.isNotNull = isNotNull
            self.defaultSQL = defaultSQL
            self.isPrimaryKey = isPrimaryKey
            self.isGenerated = isGenerated
        }

        /// Whether an INSERT that leaves this column out fails.
        public var isRequiredOnInsert: Bool {
            isNotNull && defaultSQL == nil && !isGenerated
        }
    }

    public var table: TableName
    public var columns: [Column]

    public init(table: TableName, columns: [Column]) {
        self.table = table
        self.columns = columns
    }

    /// The reflected column with this name, compared as the dialect compares identifiers
    /// (byte for byte, or ignoring the case of ASCII letters: see ``SQLDialect/sameIdentifier(_:_:)``).
    public func column(named name: String, caseInsensitive: Bool) -> Column? {
        let key = IdentifierKey(name, caseInsensitive: caseInsensitive)
        return columns.first { IdentifierKey($0.name, caseInsensitive: caseInsensitive) == key }
    }
}
