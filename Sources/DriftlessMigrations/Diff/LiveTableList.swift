import Driftless

/// The tables that exist in one schema (PostgreSQL) or attached database (SQLite): what
/// ``SchemaDiff`` looks through for tables no record declares.
enum LiveTableList {
    /// The ordinary tables of `schema` (nil: the connection's default, `main` on SQLite and
    /// `current_schema()` on PostgreSQL), without SQLite's internal `sqlite_*` tables.
    static func tables(inSchema schema: String?, on connection: some MigrationConnection) throws -> [TableName] {
        let dialect = connection.dialect
        let rows: [[DatabaseValue]]
        if dialect.name == "sqlite" {
            rows = try connection.query(
                "SELECT name FROM \(dialect.quote(schema ?? "main")).sqlite_master WHERE type = 'table' "
                    + "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name", arguments: [])
        } else if let schema {
            rows = try connection.query("""
                SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY c.relname
                """, arguments: [.text(schema)])
        } else {
            rows = try connection.query("""
                SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY c.relname
                """, arguments: [])
        }
        return rows.compactMap { $0.first?.pragmaText }.map { TableName($0, schema: schema) }
    }
}
