import Driftless

/// One step of a migration: a schema change or a statement, recorded rather than run at once
/// so that the same migration can be applied online, rendered as offline SQL and linted.
public enum SchemaOperation: Sendable {
    case createTable(TableDefinition)
    case dropTable(TableName, ifExists: Bool)
    case renameTable(TableName, to: String)
    case addColumn(TableName, TableColumn, ifNotExists: Bool)
    case dropColumn(TableName, column: String)
    case renameColumn(TableName, from: String, to: String)
    case alterColumn(TableName, column: String, ColumnAlteration)
    case createIndex(IndexDefinition)
    case dropIndex(name: String, table: TableName?, concurrently: Bool, ifExists: Bool)
    /// One statement with bound values: data migrations that never splice values into SQL.
    case execute(sql: String, arguments: [DatabaseValue])
    /// Several statements as one script (the body of a SQL-file migration). In a migration
    /// outside a transaction the statements are sent one at a time.
    case script(String)
    /// Swift code run against the migration's connection (computed backfills, reads).
    ///
    /// Offline (`--sql`, `show`, autogenerate) the code runs too, against the recorder: the
    /// statements it executes become the script's, and a query throws
    /// ``MigrationError/offlineUnsupported(_:)``, since there is no data to read. The lint
    /// cannot see inside it.
    case custom(name: String, run: @Sendable (any MigrationConnection) throws -> Void)
}

/// A table as a migration creates it.
public struct TableDefinition: Sendable, Hashable {
    public var name: TableName
    public var columns: [TableColumn]
    /// The primary key's columns, in order; empty for none (or when a column says `primaryKey`).
    public var primaryKey: [String]
    public var ifNotExists: Bool

    public init(_ name: TableName, columns: [TableColumn], primaryKey: [String] = [], ifNotExists: Bool = false) {
        self.name = name
        self.columns = columns
        self.primaryKey = primaryKey
        self.ifNotExists = ifNotExists
    }
}

/// A column as a migration creates or adds it.
public struct TableColumn: Sendable, Hashable {
    public var name: String
    public var type: ColumnType
    public var isNullable: Bool
    /// The default for rows that do not name the column; nil for none.
    public var defaultValue: DatabaseValue?
    public var isPrimaryKey: Bool
    public var isUnique: Bool

    public init(
        _ name: String, _ type: ColumnType, nullable: Bool = true, default defaultValue: DatabaseValue? = nil,
        primaryKey: Bool = false, unique: Bool = false
    ) {
        self.name = name
        self.type = type
        self.isNullable = nullable
        self.defaultValue = defaultValue
        self.isPrimaryKey = primaryKey
        self.isUnique = unique
    }
}

/// What `alterColumn` changes; nil leaves that aspect as it is.
public struct ColumnAlteration: Sendable, Hashable {
    /// A new default (`.set`), or none (`.drop`): rows inserted without the column get it.
    public enum DefaultChange: Sendable, Hashable {
        case set(DatabaseValue)
        case drop
    }

    public var type: ColumnType?
    public var isNullable: Bool?
    public var defaultChange: DefaultChange?

    public init(type: ColumnType? = nil, nullable: Bool? = nil, default defaultChange: DefaultChange? = nil) {
        self.type = type
        self.isNullable = nullable
        self.defaultChange = defaultChange
    }
}

/// An index as a migration creates it.
public struct IndexDefinition: Sendable, Hashable {
    public var name: String
    public var table: TableName
    public var columns: [String]
    public var isUnique: Bool
    /// `CREATE INDEX CONCURRENTLY` on PostgreSQL (the migration must opt out of its
    /// transaction); ignored on SQLite.
    public var concurrently: Bool
    public var ifNotExists: Bool

    public init(
        _ name: String, on table: TableName, columns: [String], unique: Bool = false,
        concurrently: Bool = false, ifNotExists: Bool = false
    ) {
        self.name = name
        self.table = table
        self.columns = columns
        self.isUnique = unique
        self.concurrently = concurrently
        self.ifNotExists = ifNotExists
    }
}
