import Driftless
import DriftlessMigrations
import DriftlessSQLite

/// SQLite's migrations, Alembic's `SQLiteImpl`: what `ALTER TABLE` cannot do (change a
/// column, drop a key or indexed column, add a column `ADD COLUMN` refuses) is done by
/// rebuilding the table (``SQLiteTableRebuild``), which needs the live table and so is not
/// rendered offline without the shadow database; `CONCURRENTLY` does not exist (one writer,
/// no lock queue), and neither do lock timeouts, so neither lint rule applies.
extension SQLiteDialect: MigrationDialect {
    public var syntax: SQLSyntax {
        SQLSyntax(blockCommentsNest: false, lineCommentsEndAtCarriageReturn: false, bracketAndBacktickIdentifiers: true,
                  namedParameters: true, dollarQuoting: false, escapeStrings: false, foldsUnquotedNamesToLowercase: false)
    }

    // MARK: Rendering

    /// The `sqlite3` shell reads CR LF as LF; the literals write text holding it as a blob
    /// cast to text.
    public var scriptReaderNormalizesLineEndings: Bool { true }

    /// `ALTER TABLE ... ADD COLUMN`; a UNIQUE column is added plain and made unique by an
    /// index (SQLite's `ADD COLUMN` refuses UNIQUE).
    ///
    /// - Throws: ``MigrationError/Code/offlineUnsupported`` for `ifNotExists` (the table is
    ///   reflected first) and for a column `ADD COLUMN` refuses (a primary key, NOT NULL
    ///   without a default, or a default whose exact literal is an expression): a table
    ///   rebuild.
    public func addColumnStatements(_ column: TableColumn, to table: TableName, ifNotExists: Bool) throws(MigrationError) -> [String] {
        if ifNotExists {
            throw .offlineUnsupported("adding \(table).\(column.name) if it does not exist on SQLite")
        }
        if SQLiteAlterations.addColumnNeedsRebuild(column) {
            throw .offlineUnsupported("adding \(table).\(column.name) on SQLite (a table rebuild)")
        }
        var plain = column
        plain.isUnique = false
        var statements = ["ALTER TABLE " + quote(table) + " ADD COLUMN " + columnDefinition(plain)]
        if column.isUnique {
            statements += try createIndexStatements(
                IndexDefinition(table.name + "_" + column.name + "_key", on: table, columns: [column.name], unique: true))
        }
        return statements
    }

    /// Always a table rebuild, which reads the table first.
    public func alterColumnStatements(_ column: String, in table: TableName, _ alteration: ColumnAlteration) throws(MigrationError) -> [String] {
        throw .offlineUnsupported("altering \(table).\(column) on SQLite (a table rebuild)")
    }

    /// The attached database qualifies the index's name, not the table's.
    public func createIndexStatements(_ index: IndexDefinition) throws(MigrationError) -> [String] {
        [createIndexSQL(index, qualifyingName: true)]
    }

    // MARK: Applying

    /// Column additions, drops and changes go through ``SQLiteAlterations`` (`ALTER TABLE`
    /// when SQLite can, a table rebuild when it cannot); everything else as rendered.
    public func apply(_ operation: SchemaOperation, on connection: some MigrationConnection, transactional: Bool) throws {
        switch operation {
        case .addColumn(let table, let column, let ifNotExists):
            try SQLiteAlterations.addColumn(table, column, ifNotExists: ifNotExists, on: connection)
        case .dropColumn(let table, let column):
            try SQLiteAlterations.dropColumn(table, column, on: connection)
        case .alterColumn(let table, let column, let alteration):
            try SQLiteAlterations.alterColumn(table, column, alteration, on: connection)
        default:
            try applyByRendering(operation, on: connection, transactional: transactional)
        }
    }

    // MARK: The live schema

    public func tables(inSchema schema: String?, on connection: some MigrationConnection) throws -> [TableName] {
        try connection.query(
            "SELECT name FROM \(quote(schema ?? "main")).sqlite_master WHERE type = 'table' "
                + "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name", arguments: []
        ).compactMap { $0.first?.pragmaText }.map { TableName($0, schema: schema) }
    }

    /// Including the `sqlite_autoindex_*` indexes that back constraints.
    public func indexNames(on table: TableName, connection: some MigrationConnection) throws -> [String] {
        try connection.query("SELECT name FROM pragma_index_list(?, ?) ORDER BY name",
                             arguments: [.text(table.name), .text(table.schema ?? "main")])
            .compactMap { $0.first?.pragmaText }
    }

    public func liveIndexes(on table: TableName, connection: some MigrationConnection) throws -> [LiveIndex] {
        let schema = DatabaseValue.text(table.schema ?? "main")
        let indexes = try connection.query("SELECT name, \"unique\" FROM pragma_index_list(?, ?) ORDER BY name",
                                           arguments: [.text(table.name), schema])
        return try indexes.compactMap { row -> LiveIndex? in
            guard let name = row.first?.pragmaText else { return nil }
            let columns = try connection.query("SELECT name FROM pragma_index_info(?, ?) ORDER BY seqno", arguments: [.text(name), schema])
                .map { $0.first?.pragmaText }
            return LiveIndex(name: name, columns: columns, isUnique: row.count > 1 && row[1].pragmaInteger == 1)
        }
    }

    /// By affinity: an `INTEGER`-affinity column is an integer, `TEXT` text, and so on.
    public func columnType(ofLive liveType: String) -> ColumnType? {
        switch SQLiteTypeAffinity(declaredType: liveType) {
        case .integer: .integer
        case .text: .text
        case .blob: .blob
        case .real: .real
        case .numeric: nil
        }
    }

    /// By type affinity: what SQLite does with values (a record's `boolean` in an `INTEGER`
    /// column is fine, as the decoder reads `0`/`1` as `Bool`).
    public func liveType(_ liveType: String, holds declared: ColumnType) -> Bool {
        SQLiteTypeAffinity(declaredType: liveType).holds(declared)
    }

    /// Table rebuilds (the builder's batch mode) of existing tables.
    public func makeLintChecks() -> [any LintCheck] { [SQLiteRebuildCheck()] }

    public var lintRules: Set<LintRule> { LintRule.sharedRules.union([.sqliteTableRebuild]) }
}
