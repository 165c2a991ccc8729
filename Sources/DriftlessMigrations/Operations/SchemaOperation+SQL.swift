import Driftless

extension SchemaOperation {
    /// The statements this operation runs, rendered from the operation alone, without a
    /// database: for operations whose SQL does not depend on the live table.
    ///
    /// ``apply(on:transactional:)`` runs these statements for most operations. Offline
    /// scripts and `revision --autogenerate` do not call this: they apply the operations to
    /// the offline recorder (with an in-memory shadow database on SQLite), so that they also
    /// render what this cannot.
    ///
    /// Values of `.execute` are written in as literals (see ``PlaceholderInliner``);
    /// identifiers are always quoted.
    ///
    /// - Throws: ``MigrationError/offlineUnsupported(_:)`` for what needs the live table or
    ///   runs code: on SQLite `alterColumn` (a table rebuild reads the table first),
    ///   `addColumn` with `ifNotExists` or a column SQLite's `ADD COLUMN` refuses (a primary
    ///   key, or NOT NULL without a default); `custom` everywhere.
    ///
    /// On SQLite `dropColumn` renders as `ALTER TABLE ... DROP COLUMN`, which SQLite refuses
    /// for key, unique, indexed and foreign key columns; ``apply(on:transactional:)``
    /// rebuilds the table for those.
    public func sql(for dialect: SQLDialect) throws(MigrationError) -> [String] {
        let renderer = DDLRenderer(dialect: dialect)
        guard renderer.isSQLite || renderer.isPostgres else {
            throw .unsupportedOperation("no SQL rendering for dialect \(dialect.name)")
        }
        switch self {
        case .createTable(let table):
            return [renderer.createTable(table)]
        case .dropTable(let table, let ifExists):
            return [renderer.dropTable(table, ifExists: ifExists)]
        case .renameTable(let table, let newName):
            return [renderer.renameTable(table, to: newName)]
        case .addColumn(let table, let column, let ifNotExists):
            if renderer.isSQLite {
                if ifNotExists {
                    throw .offlineUnsupported("adding \(table).\(column.name) if it does not exist on SQLite")
                }
                if SQLiteAlterations.addColumnNeedsRebuild(column, dialect: dialect) {
                    throw .offlineUnsupported("adding \(table).\(column.name) on SQLite (a table rebuild)")
                }
                var statements = [renderer.addColumn(table, column, ifNotExists: false)]
                if column.isUnique { statements.append(renderer.uniqueIndex(for: column.name, on: table)) }
                return statements
            }
            return [renderer.addColumn(table, column, ifNotExists: ifNotExists)]
        case .dropColumn(let table, let column):
            return [renderer.dropColumn(table, column)]
        case .renameColumn(let table, let old, let new):
            return [renderer.renameColumn(table, from: old, to: new)]
        case .alterColumn(let table, let column, let alteration):
            if renderer.isSQLite {
                throw .offlineUnsupported("altering \(table).\(column) on SQLite (a table rebuild)")
            }
            return renderer.alterColumnPostgres(table, column, alteration).map { [$0] } ?? []
        case .createIndex(let index):
            return [renderer.createIndex(index)]
        case .dropIndex(let name, let table, let concurrently, let ifExists):
            return [renderer.dropIndex(name: name, table: table, concurrently: concurrently, ifExists: ifExists)]
        case .execute(let sql, let arguments):
            return [try PlaceholderInliner.inline(sql, arguments: arguments, dialect: dialect)]
        case .script(let script):
            return [script]
        case .custom(let name, _):
            throw .offlineUnsupported("custom operation \(name)")
        }
    }
}
