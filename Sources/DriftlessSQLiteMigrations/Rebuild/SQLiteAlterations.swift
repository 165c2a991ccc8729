import Driftless
import DriftlessMigrations
import DriftlessSQLite

/// The column operations SQLite's `ALTER TABLE` does only sometimes, done with it when it
/// can and with a ``SQLiteTableRebuild`` when it cannot.
enum SQLiteAlterations {
    /// Whether adding `column` needs a rebuild: SQLite's `ADD COLUMN` refuses a PRIMARY KEY,
    /// a NOT NULL column whose default is NULL, and a default that is an expression (the
    /// exact form of some reals and of text holding NUL, see the dialect's literal).
    static func addColumnNeedsRebuild(_ column: TableColumn) -> Bool {
        column.isPrimaryKey || (!column.isNullable && (column.defaultValue ?? .null).isNull)
            || column.defaultValue.map { SQLiteDialect.sqlite.literal($0, column.type).hasPrefix("(") } == true
    }

    static func addColumn(
        _ table: TableName, _ column: TableColumn, ifNotExists: Bool, on connection: some MigrationConnection
    ) throws {
        let dialect = SQLiteDialect.sqlite
        if ifNotExists, let live = try connection.reflectTable(table),
           live.column(named: column.name, caseInsensitive: true) != nil {
            return
        }
        guard addColumnNeedsRebuild(column) else {
            for statement in try dialect.addColumnStatements(column, to: table, ifNotExists: false) {
                try connection.execute(statement, arguments: [])
            }
            return
        }
        if (!column.isPrimaryKey || !column.isNullable) && (column.defaultValue ?? .null).isNull {
            let hasRows = try connection.query("SELECT EXISTS (SELECT 1 FROM \(dialect.quote(table)))", arguments: [])
            if hasRows.first?.first == .integer(1) && !(column.isPrimaryKey && column.type == .integer) {
                throw MigrationError.unsupportedOperation("""
                    adding NOT NULL column \(table).\(column.name) without a default to a table that has rows: \
                    add it nullable (or with a default), backfill it, then alter it to NOT NULL
                    """)
            }
        }
        try SQLiteTableRebuild(table: table).run(on: connection) { model in
            if model.columnIndex(named: column.name) != nil {
                throw MigrationError.unsupportedOperation("adding \(table).\(column.name): the column exists")
            }
            var position = 0
            if column.isPrimaryKey {
                guard model.primaryKey.isEmpty else {
                    throw MigrationError.unsupportedOperation(
                        "adding primary key column \(table).\(column.name): the table has a primary key")
                }
                position = 1
            }
            let defaultSQL = column.defaultValue.flatMap { $0.isNull ? nil : dialect.literal($0, column.type) }
            model.columns.append(SQLiteTableModel.Column(
                name: column.name, declaredType: dialect.typeName(column.type),
                isNotNull: !column.isNullable || column.isPrimaryKey, defaultSQL: defaultSQL,
                primaryKeyPosition: position, collation: nil, checks: [], generatedDefinition: nil, source: nil))
            if column.isUnique && !column.isPrimaryKey { model.uniqueConstraints.append([column.name]) }
        }
    }

    /// `ALTER TABLE ... DROP COLUMN` when SQLite allows it; a rebuild when the column is in
    /// the primary key, a UNIQUE constraint, an index or a foreign key (its indexes go with
    /// it, as they would with PostgreSQL's `DROP COLUMN`).
    static func dropColumn(_ table: TableName, _ column: String, on connection: some MigrationConnection) throws {
        guard let model = try SQLiteTableModel.reflect(table, on: connection) else {
            throw MigrationError.tableNotFound(table.description)
        }
        guard let index = model.columnIndex(named: column) else {
            throw MigrationError.columnNotFound(table: table.description, column: column)
        }
        let lowered = column.lowercased()
        let contains: ([String]) -> Bool = { names in names.contains { $0.lowercased() == lowered } }
        var needsRebuild = model.columns[index].primaryKeyPosition > 0
            || model.uniqueConstraints.contains(where: contains)
            || model.foreignKeys.contains { contains($0.columns) }
        if !needsRebuild {
            needsRebuild = try isIndexed(column, table: table, on: connection)
        }
        guard needsRebuild else {
            for statement in try SQLiteDialect.sqlite.dropColumnStatements(column, from: table) {
                try connection.execute(statement, arguments: [])
            }
            return
        }
        var rebuild = SQLiteTableRebuild(table: table)
        rebuild.droppedColumns = [lowered]
        try rebuild.run(on: connection) { model in
            let key = model.primaryKeyOrder(excluding: lowered)
            model.columns.removeAll { $0.name.lowercased() == lowered }
            var position = 1
            for index in model.columns.indices where model.columns[index].primaryKeyPosition > 0 {
                model.columns[index].primaryKeyPosition = 0
            }
            for name in key {
                if let index = model.columnIndex(named: name) {
                    model.columns[index].primaryKeyPosition = position
                    position += 1
                }
            }
            model.uniqueConstraints.removeAll(where: contains)
            model.foreignKeys.removeAll { contains($0.columns) }
        }
    }

    /// Whether an index of the table covers the column or names it in a partial index's WHERE.
    private static func isIndexed(_ column: String, table: TableName, on connection: some MigrationConnection) throws -> Bool {
        let lowered = column.lowercased()
        let tokenizer = SQLTokenizer(syntax: SQLiteDialect.sqlite.syntax)
        for row in try connection.query("SELECT name FROM pragma_index_list(?)", arguments: [.text(table.name)]) {
            guard let name = row[0].pragmaText else { continue }
            let names = try connection.query("SELECT name FROM pragma_index_xinfo(?)", arguments: [.text(name)])
                .compactMap { $0[0].pragmaText?.lowercased() }
            if names.contains(lowered) { return true }
            let sql = try connection.query("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?",
                                           arguments: [.text(name)]).first?.first?.pragmaText
            if let sql, tokenizer.tokens(sql).contains(where: { $0.isIdentifier && $0.text.lowercased() == lowered }) {
                return true
            }
        }
        return false
    }

    /// Type, nullability and default changes: always a rebuild on SQLite.
    static func alterColumn(
        _ table: TableName, _ column: String, _ alteration: ColumnAlteration, on connection: some MigrationConnection
    ) throws {
        let dialect = SQLiteDialect.sqlite
        try SQLiteTableRebuild(table: table).run(on: connection) { model in
            guard let index = model.columnIndex(named: column) else {
                throw MigrationError.columnNotFound(table: table.description, column: column)
            }
            if model.columns[index].isGenerated {
                throw MigrationError.unsupportedOperation("altering generated column \(table).\(column)")
            }
            if let type = alteration.type { model.columns[index].declaredType = dialect.typeName(type) }
            if let nullable = alteration.isNullable { model.columns[index].isNotNull = !nullable }
            switch alteration.defaultChange {
            case .set(let value)?:
                model.columns[index].defaultSQL = value.isNull
                    ? "NULL" : dialect.literal(value, alteration.type ?? value.naturalColumnType)
            case .drop?:
                model.columns[index].defaultSQL = nil
            case nil:
                break
            }
        }
    }
}

extension SQLiteTableModel {
    /// The primary key's column names in order, without one column.
    fileprivate func primaryKeyOrder(excluding lowered: String) -> [String] {
        primaryKey.filter { $0.lowercased() != lowered }
    }
}
