extension SchemaOperation {
    /// The operation that undoes an additive one (what autogenerate writes), if any.
    var autogenerateInverse: SchemaOperation? {
        switch self {
        case .createTable(let table): .dropTable(table.name, ifExists: false)
        case .addColumn(let table, let column, _): .dropColumn(table, column: column.name)
        case .createIndex(let index): .dropIndex(name: index.name, table: index.table, concurrently: index.concurrently, ifExists: false)
        default: nil
        }
    }
}
