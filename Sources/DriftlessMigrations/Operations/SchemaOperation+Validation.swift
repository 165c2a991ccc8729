import Driftless

extension SchemaOperation {
    /// Why the operation cannot run on a dialect as written, or nil: a table, column or index
    /// name the database cannot hold (empty, holding NUL, longer than PostgreSQL keeps, which
    /// it would silently cut), or a default it cannot render so that it reads back as given
    /// (text holding NUL on PostgreSQL, NaN on SQLite). Checked before anything is sent or
    /// rendered, online and offline alike.
    func problem(for dialect: some SQLDialect) -> String? {
        var names: [(String, String)] = []
        var defaults: [(String, DatabaseValue, ColumnType)] = []
        func table(_ table: TableName) {
            names.append(("table", table.name))
            if let schema = table.schema { names.append(("schema", schema)) }
        }
        func column(_ column: TableColumn) {
            names.append(("column", column.name))
            if let value = column.defaultValue { defaults.append((column.name, value, column.type)) }
        }
        switch self {
        case .createTable(let definition):
            table(definition.name)
            definition.columns.forEach(column)
            names += definition.primaryKey.map { ("column", $0) }
        case .dropTable(let name, _):
            table(name)
        case .renameTable(let name, let newName):
            table(name)
            names.append(("table", newName))
        case .addColumn(let name, let added, _):
            table(name)
            column(added)
        case .dropColumn(let name, let dropped):
            table(name)
            names.append(("column", dropped))
        case .renameColumn(let name, let old, let new):
            table(name)
            names += [("column", old), ("column", new)]
        case .alterColumn(let name, let altered, let alteration):
            table(name)
            names.append(("column", altered))
            if case .set(let value)? = alteration.defaultChange, !value.isNull {
                defaults.append((altered, value, alteration.type ?? value.naturalColumnType))
            }
        case .createIndex(let index):
            table(index.table)
            names.append(("index", index.name))
            names += index.columns.map { ("column", $0) }
        case .dropIndex(let name, let table, _, _):
            names.append(("index", name))
            if let schema = table?.schema { names.append(("schema", schema)) }
        case .execute, .script, .custom:
            break
        }
        for (kind, name) in names {
            if let problem = dialect.identifierProblem(name) {
                return "\(kind) \(name.quoted(with: "\"")) cannot be used: \(problem)"
            }
        }
        for (name, value, type) in defaults {
            if let problem = dialect.literalProblem(value, type) {
                return "the default of column \(name.quoted(with: "\"")) cannot be rendered on \(dialect.name): \(problem)"
            }
        }
        return nil
    }
}
