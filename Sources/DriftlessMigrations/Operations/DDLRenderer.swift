import Driftless

/// Renders schema operations as SQL text for one dialect, without a database.
///
/// Every identifier goes through ``SQLDialect/quote(_:)-(String)`` (so a table named `order` or
/// `a"b` is safe) and every default through the dialect's typed literal. Operations that
/// need to look at the live table first (SQLite's table rebuild, `ifNotExists` columns on
/// SQLite) are not rendered here: ``SchemaOperation/apply(on:)`` handles them.
struct DDLRenderer: Sendable {
    let dialect: SQLDialect

    var isSQLite: Bool { dialect.name == "sqlite" }
    var isPostgres: Bool { dialect.name == "postgres" }

    /// `"name" TYPE [NOT NULL] [DEFAULT literal] [UNIQUE]`, without any primary key clause
    /// (``createTable(_:)`` puts the key in a table constraint, so that composite and single
    /// keys render alike and an INTEGER key still becomes SQLite's rowid).
    func columnDefinition(_ column: TableColumn) -> String {
        var definition = dialect.quote(column.name) + " " + dialect.typeName(column.type)
        if !column.isNullable || column.isPrimaryKey { definition += " NOT NULL" }
        if let value = column.defaultValue, !value.isNull {
            definition += " DEFAULT " + dialect.literal(value, column.type)
        }
        if column.isUnique && !column.isPrimaryKey { definition += " UNIQUE" }
        return definition
    }

    /// The primary key of a definition: its explicit list, else the columns marked `primaryKey`.
    func primaryKey(of table: TableDefinition) -> [String] {
        table.primaryKey.isEmpty ? table.columns.filter(\.isPrimaryKey).map(\.name) : table.primaryKey
    }

    func createTable(_ table: TableDefinition) -> String {
        var definitions = table.columns.map { column in
            var column = column
            // A column named in an explicit composite key is NOT NULL like a marked one.
            if table.primaryKey.contains(column.name) { column.isPrimaryKey = true }
            return columnDefinition(column)
        }
        let key = primaryKey(of: table)
        if !key.isEmpty {
            definitions.append("PRIMARY KEY (" + key.map(dialect.quote).joined(separator: ", ") + ")")
        }
        return "CREATE TABLE " + (table.ifNotExists ? "IF NOT EXISTS " : "") + dialect.quote(table.name)
            + " (" + definitions.joined(separator: ", ") + ")"
    }

    func dropTable(_ table: TableName, ifExists: Bool) -> String {
        "DROP TABLE " + (ifExists ? "IF EXISTS " : "") + dialect.quote(table)
    }

    /// `ALTER TABLE ... RENAME TO`: the new name is never qualified (both databases keep the
    /// table in its schema).
    func renameTable(_ table: TableName, to newName: String) -> String {
        "ALTER TABLE " + dialect.quote(table) + " RENAME TO " + dialect.quote(newName)
    }

    /// `ALTER TABLE ... ADD COLUMN`. On SQLite a UNIQUE column is added plain and made unique
    /// by an index (SQLite's ADD COLUMN refuses UNIQUE): the caller appends ``uniqueIndex(for:on:)``.
    func addColumn(_ table: TableName, _ column: TableColumn, ifNotExists: Bool) -> String {
        var column = column
        if isSQLite { column.isUnique = false }
        return "ALTER TABLE " + dialect.quote(table) + " ADD COLUMN "
            + (ifNotExists && isPostgres ? "IF NOT EXISTS " : "") + columnDefinition(column)
    }

    /// The unique index that stands for a UNIQUE column added on SQLite.
    func uniqueIndex(for column: String, on table: TableName) -> String {
        createIndex(IndexDefinition(table.name + "_" + column + "_key", on: table, columns: [column], unique: true))
    }

    func dropColumn(_ table: TableName, _ column: String) -> String {
        "ALTER TABLE " + dialect.quote(table) + " DROP COLUMN " + dialect.quote(column)
    }

    func renameColumn(_ table: TableName, from old: String, to new: String) -> String {
        "ALTER TABLE " + dialect.quote(table) + " RENAME COLUMN " + dialect.quote(old) + " TO " + dialect.quote(new)
    }

    /// PostgreSQL's `ALTER COLUMN` actions in one statement (one lock, one table rewrite at
    /// most): `TYPE ... USING`, `SET/DROP NOT NULL`, `SET/DROP DEFAULT`.
    ///
    /// - Parameter currentType: the column's type as `format_type` spells it, when known; it
    ///   picks a `USING` expression for conversions PostgreSQL has no direct cast for
    ///   (`bigint` to `boolean`, integers to `timestamptz`).
    func alterColumnPostgres(_ table: TableName, _ column: String, _ alteration: ColumnAlteration, currentType: String? = nil) -> String? {
        let name = dialect.quote(column)
        var actions: [String] = []
        if let type = alteration.type {
            actions.append("ALTER COLUMN \(name) TYPE \(dialect.typeName(type)) USING "
                + postgresConversion(of: name, from: currentType, to: type))
        }
        if let nullable = alteration.isNullable {
            actions.append("ALTER COLUMN \(name) " + (nullable ? "DROP NOT NULL" : "SET NOT NULL"))
        }
        switch alteration.defaultChange {
        case .set(let value)?:
            let type = alteration.type ?? currentType.flatMap(ColumnTypeMatching.postgresColumnType) ?? Self.columnType(of: value)
            actions.append("ALTER COLUMN \(name) SET DEFAULT " + (value.isNull ? "NULL" : dialect.literal(value, type)))
        case .drop?:
            actions.append("ALTER COLUMN \(name) DROP DEFAULT")
        case nil:
            break
        }
        guard !actions.isEmpty else { return nil }
        return "ALTER TABLE " + dialect.quote(table) + " " + actions.joined(separator: ", ")
    }

    /// The `USING` expression converting a column to `type`.
    func postgresConversion(of column: String, from currentType: String?, to type: ColumnType) -> String {
        let target = dialect.typeName(type)
        let current = currentType?.lowercased() ?? ""
        let isInteger = ["bigint", "integer", "smallint"].contains(current)
        switch type {
        case .boolean where isInteger:
            return "(\(column) <> 0)"
        case .integer where current == "boolean":
            return "\(column)::integer::bigint"
        case .timestamp where isInteger || current == "double precision" || current == "real" || current == "numeric":
            return "to_timestamp(\(column))"
        case .integer where current.hasPrefix("timestamp"):
            return "extract(epoch FROM \(column))::bigint"
        default:
            return "\(column)::\(target)"
        }
    }

    /// `CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS]`. `CONCURRENTLY` exists only on
    /// PostgreSQL; SQLite has no long-held locks to avoid, so it is left out there. On
    /// PostgreSQL the index lives in its table's schema and takes an unqualified name; on
    /// SQLite it is the index name that carries the attached database.
    func createIndex(_ index: IndexDefinition) -> String {
        var sql = "CREATE " + (index.isUnique ? "UNIQUE " : "") + "INDEX "
        if index.concurrently && isPostgres { sql += "CONCURRENTLY " }
        if index.ifNotExists { sql += "IF NOT EXISTS " }
        if isSQLite {
            sql += dialect.quote(TableName(index.name, schema: index.table.schema)) + " ON " + dialect.quote(index.table.name)
        } else {
            sql += dialect.quote(index.name) + " ON " + dialect.quote(index.table)
        }
        return sql + " (" + index.columns.map(dialect.quote).joined(separator: ", ") + ")"
    }

    func dropIndex(name: String, table: TableName?, concurrently: Bool, ifExists: Bool) -> String {
        var sql = "DROP INDEX "
        if concurrently && isPostgres { sql += "CONCURRENTLY " }
        if ifExists { sql += "IF EXISTS " }
        return sql + dialect.quote(TableName(name, schema: table?.schema))
    }

    /// The column type a value naturally has, for literals whose column type is unknown.
    static func columnType(of value: DatabaseValue) -> ColumnType {
        switch value {
        case .integer: .integer
        case .real: .real
        case .blob: .blob
        case .text, .null: .text
        }
    }
}
