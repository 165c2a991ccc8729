import Driftless

/// The indexes that exist on one table: what ``SchemaDiff`` compares a record's declared
/// indexes with (by name).
enum LiveIndexList {
    /// The names of the table's indexes, including those that back constraints (SQLite's
    /// `sqlite_autoindex_*`, PostgreSQL's `*_pkey`).
    static func indexNames(on table: TableName, connection: some MigrationConnection) throws -> [String] {
        let dialect = connection.dialect
        let rows: [[DatabaseValue]]
        if dialect.name == "sqlite" {
            rows = try connection.query("SELECT name FROM pragma_index_list(?, ?) ORDER BY name",
                                        arguments: [.text(table.name), .text(table.schema ?? "main")])
        } else {
            // to_regclass resolves the table as queries do (search_path for an unqualified name).
            rows = try connection.query("""
                SELECT c.relname FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
                WHERE i.indrelid = to_regclass($1) ORDER BY c.relname
                """, arguments: [.text(dialect.quote(table))])
        }
        return rows.compactMap { $0.first?.pragmaText }
    }
}
