import Driftless

extension SchemaOperation: CustomStringConvertible {
    /// A one-line summary for lint findings, logs and progress output
    /// (`add column "users"."plan"`, `create index "users_email" on "users"`). Names are
    /// quoted as SQL quotes them, so that a name holding spaces, dots or quotes reads as one.
    public var description: String {
        switch self {
        case .createTable(let table): "create table \(Self.quoted(table.name))"
        case .dropTable(let table, _): "drop table \(Self.quoted(table))"
        case .renameTable(let table, let newName): "rename table \(Self.quoted(table)) to \(Self.quoted(newName))"
        case .addColumn(let table, let column, _): "add column \(Self.quoted(table, column.name))"
        case .dropColumn(let table, let column): "drop column \(Self.quoted(table, column))"
        case .renameColumn(let table, let old, let new): "rename column \(Self.quoted(table, old)) to \(Self.quoted(new))"
        case .alterColumn(let table, let column, _): "alter column \(Self.quoted(table, column))"
        case .createIndex(let index): "create index \(Self.quoted(index.name)) on \(Self.quoted(index.table))"
        case .dropIndex(let name, _, _, _): "drop index \(Self.quoted(name))"
        case .execute(let sql, _): "execute " + Self.abbreviated(sql)
        case .script(let sql): "script " + Self.abbreviated(sql)
        case .custom(let name, _): "custom \(name)"
        }
    }

    /// A name as SQL quotes it (the core's one quoting routine).
    package static func quoted(_ name: String) -> String { name.quoted(with: "\"") }

    /// A table, or a column of it, as SQL quotes it: `"billing"."users"."plan"`.
    package static func quoted(_ table: TableName, _ column: String? = nil) -> String {
        ([table.schema, table.name, column].compactMap { $0 }).map(quoted).joined(separator: ".")
    }

    private static func abbreviated(_ sql: String) -> String {
        let line = sql.split(whereSeparator: { $0.isNewline || $0 == " " || $0 == "\t" }).joined(separator: " ")
        return line.count > 60 ? line.prefix(57) + "..." : line
    }
}
