import Driftless

/// The default rendering of every operation: the DDL that SQLite and PostgreSQL share.
///
/// Every identifier goes through ``SQLDialect/quote(_:)-(String)`` (so a table named `order`
/// or `a"b` is safe) and every default through the dialect's typed literal. A dialect
/// overrides the requirement of an operation its database spells differently; the helpers
/// at the end (``createIndexSQL(_:options:qualifyingName:)``, ``dropIndexSQL(_:table:options:ifExists:)``)
/// let it change one clause and keep the rest.
extension MigrationDialect {
    public func statements(for operation: SchemaOperation) throws(MigrationError) -> [String] {
        switch operation {
        case .createTable(let table):
            return try createTableStatements(table)
        case .dropTable(let table, let ifExists):
            return try dropTableStatements(table, ifExists: ifExists)
        case .renameTable(let table, let newName):
            return try renameTableStatements(table, to: newName)
        case .addColumn(let table, let column, let ifNotExists):
            return try addColumnStatements(column, to: table, ifNotExists: ifNotExists)
        case .dropColumn(let table, let column):
            return try dropColumnStatements(column, from: table)
        case .renameColumn(let table, let old, let new):
            return try renameColumnStatements(old, to: new, in: table)
        case .alterColumn(let table, let column, let alteration):
            return try alterColumnStatements(column, in: table, alteration)
        case .createIndex(let index):
            return try createIndexStatements(index)
        case .dropIndex(let name, let table, let concurrently, let ifExists):
            return try dropIndexStatements(name, table: table, concurrently: concurrently, ifExists: ifExists)
        case .execute(let sql, let arguments):
            return [try PlaceholderInliner.inline(sql, arguments: arguments, dialect: self)]
        case .script(let script):
            return [script]
        case .custom(let name, _):
            throw .offlineUnsupported("custom operation \(name)")
        }
    }

    public func columnDefinition(_ column: TableColumn) -> String {
        var definition = quote(column.name) + " " + typeName(column.type)
        if !column.isNullable || column.isPrimaryKey { definition += " NOT NULL" }
        if let value = column.defaultValue, !value.isNull {
            definition += " DEFAULT " + literal(value, column.type)
        }
        if column.isUnique && !column.isPrimaryKey { definition += " UNIQUE" }
        return definition
    }

    /// `CREATE TABLE` with the primary key as a table constraint, so that composite and
    /// single keys render alike (and an INTEGER key still becomes SQLite's rowid).
    public func createTableStatements(_ table: TableDefinition) throws(MigrationError) -> [String] {
        var definitions = table.columns.map { column in
            var column = column
            // A column named in an explicit composite key is NOT NULL like a marked one.
            if table.primaryKey.contains(column.name) { column.isPrimaryKey = true }
            return columnDefinition(column)
        }
        let key = table.primaryKey.isEmpty ? table.columns.filter(\.isPrimaryKey).map(\.name) : table.primaryKey
        if !key.isEmpty {
            definitions.append("PRIMARY KEY (" + key.map(quote).joined(separator: ", ") + ")")
        }
        return ["CREATE TABLE " + (table.ifNotExists ? "IF NOT EXISTS " : "") + quote(table.name)
            + " (" + definitions.joined(separator: ", ") + ")"]
    }

    public func dropTableStatements(_ table: TableName, ifExists: Bool) throws(MigrationError) -> [String] {
        ["DROP TABLE " + (ifExists ? "IF EXISTS " : "") + quote(table)]
    }

    /// `ALTER TABLE ... RENAME TO`: the new name is never qualified (the table stays in its
    /// schema).
    public func renameTableStatements(_ table: TableName, to newName: String) throws(MigrationError) -> [String] {
        ["ALTER TABLE " + quote(table) + " RENAME TO " + quote(newName)]
    }

    public func addColumnStatements(_ column: TableColumn, to table: TableName, ifNotExists: Bool) throws(MigrationError) -> [String] {
        ["ALTER TABLE " + quote(table) + " ADD COLUMN " + (ifNotExists ? "IF NOT EXISTS " : "") + columnDefinition(column)]
    }

    public func dropColumnStatements(_ column: String, from table: TableName) throws(MigrationError) -> [String] {
        ["ALTER TABLE " + quote(table) + " DROP COLUMN " + quote(column)]
    }

    public func renameColumnStatements(_ column: String, to newName: String, in table: TableName) throws(MigrationError) -> [String] {
        ["ALTER TABLE " + quote(table) + " RENAME COLUMN " + quote(column) + " TO " + quote(newName)]
    }

    /// No shared SQL: databases differ too much in how a column's type, nullability and
    /// default change (and what converts the rows).
    public func alterColumnStatements(_ column: String, in table: TableName, _ alteration: ColumnAlteration) throws(MigrationError) -> [String] {
        throw .unsupportedOperation("altering \(table).\(column) on \(name)")
    }

    public func createIndexStatements(_ index: IndexDefinition) throws(MigrationError) -> [String] {
        [createIndexSQL(index)]
    }

    public func dropIndexStatements(_ name: String, table: TableName?, concurrently: Bool, ifExists: Bool) throws(MigrationError) -> [String] {
        [dropIndexSQL(name, table: table, ifExists: ifExists)]
    }

    /// The dialect's own literal of the value's natural type, which reads back exactly as
    /// the value (on SQLite a real that its decimal parser would round is written as an
    /// exact expression, text holding NUL or CR LF as a blob cast to text).
    public func offlineLiteral(_ value: DatabaseValue) -> String {
        literal(value, value.naturalColumnType)
    }

    public var scriptReaderNormalizesLineEndings: Bool { false }

    public func lockTimeoutStatement(milliseconds: Int64) -> String? { nil }

    public func statementTimeoutStatement(milliseconds: Int64) -> String? { nil }

    public func makeLintChecks() -> [any LintCheck] { [] }

    public var lintRules: Set<LintRule> { LintRule.sharedRules }

    // MARK: Pieces for overrides

    /// `CREATE [UNIQUE] INDEX [options] [IF NOT EXISTS] name ON table (columns)`.
    ///
    /// - Parameters:
    ///   - options: Words after `INDEX` (`CONCURRENTLY`), or empty.
    ///   - qualifyingName: Whether the schema qualifies the index's name rather than the
    ///     table's (SQLite names the attached database on the index).
    public func createIndexSQL(_ index: IndexDefinition, options: String = "", qualifyingName: Bool = false) -> String {
        var sql = "CREATE " + (index.isUnique ? "UNIQUE " : "") + "INDEX "
        if !options.isEmpty { sql += options + " " }
        if index.ifNotExists { sql += "IF NOT EXISTS " }
        if qualifyingName {
            sql += quote(TableName(index.name, schema: index.table.schema)) + " ON " + quote(index.table.name)
        } else {
            sql += quote(index.name) + " ON " + quote(index.table)
        }
        return sql + " (" + index.columns.map(quote).joined(separator: ", ") + ")"
    }

    /// `DROP INDEX [options] [IF EXISTS] schema.name`: the index is named in its table's schema.
    public func dropIndexSQL(_ name: String, table: TableName?, options: String = "", ifExists: Bool) -> String {
        "DROP INDEX " + (options.isEmpty ? "" : options + " ") + (ifExists ? "IF EXISTS " : "")
            + quote(TableName(name, schema: table?.schema))
    }
}

extension DatabaseValue {
    /// The column type a value naturally has, for literals whose column type is unknown.
    package var naturalColumnType: ColumnType {
        switch self {
        case .integer: .integer
        case .real: .real
        case .blob: .blob
        case .text, .null: .text
        }
    }
}
