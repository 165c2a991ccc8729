extension SchemaOperation: CustomStringConvertible {
    /// A one-line summary for lint findings, logs and progress output
    /// (`add column users.plan`, `create index users_email on users`).
    public var description: String {
        switch self {
        case .createTable(let table): "create table \(table.name)"
        case .dropTable(let table, _): "drop table \(table)"
        case .renameTable(let table, let newName): "rename table \(table) to \(newName)"
        case .addColumn(let table, let column, _): "add column \(table).\(column.name)"
        case .dropColumn(let table, let column): "drop column \(table).\(column)"
        case .renameColumn(let table, let old, let new): "rename column \(table).\(old) to \(new)"
        case .alterColumn(let table, let column, _): "alter column \(table).\(column)"
        case .createIndex(let index): "create index \(index.name) on \(index.table)"
        case .dropIndex(let name, _, _, _): "drop index \(name)"
        case .execute(let sql, _): "execute " + Self.abbreviated(sql)
        case .script(let sql): "script " + Self.abbreviated(sql)
        case .custom(let name, _): "custom \(name)"
        }
    }

    private static func abbreviated(_ sql: String) -> String {
        let line = sql.split(whereSeparator: { $0.isNewline || $0 == " " || $0 == "\t" }).joined(separator: " ")
        return line.count > 60 ? line.prefix(57) + "..." : line
    }
}
