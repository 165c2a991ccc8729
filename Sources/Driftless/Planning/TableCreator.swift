/// Renders `CREATE TABLE` from a record's declaration: the "create missing tables" fallback.
struct TableCreator<R: Record> {
    let dialect: any SQLDialect

    var createTableSQL: String {
        let schema = R.schema
        var definitions = schema.columns.map { column in
            var definition = dialect.quote(column.name) + " " + dialect.typeName(column.type)
            if !column.isNullable { definition += " NOT NULL" }
            if let value = column.defaultValue, !value.isNull, !column.isPrimaryKey {
                definition += " DEFAULT " + dialect.literal(value, column.type)
            }
            return definition
        }
        if !schema.primaryKeyIndexes.isEmpty {
            definitions.append("PRIMARY KEY (" + schema.primaryKeyIndexes
                .map { dialect.quote(schema.columns[$0].name) }.joined(separator: ", ") + ")")
        }
        return "CREATE TABLE IF NOT EXISTS " + dialect.quote(schema.table) + " ("
            + definitions.joined(separator: ", ") + ")"
    }
}
