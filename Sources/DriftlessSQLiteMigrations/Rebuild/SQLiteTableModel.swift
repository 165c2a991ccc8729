import Driftless
import DriftlessMigrations
import DriftlessSQLite

/// A SQLite table as the rebuild sees it: reflected from the live database, changed by an
/// operation, and rendered as the `CREATE TABLE` of its replacement.
///
/// Names, declared types, NOT NULL, defaults, the primary key, UNIQUE constraints and foreign
/// keys come from the pragmas (`table_xinfo`, `index_list`, `index_info`,
/// `foreign_key_list`), which are exact; CHECK constraints, collations, AUTOINCREMENT,
/// generated columns and table options come from ``SQLiteCreateTableText``. Not carried
/// over: conflict clauses (`ON CONFLICT REPLACE`), `DEFERRABLE` on foreign keys, and comments.
struct SQLiteTableModel: Sendable {
    struct Column: Sendable {
        var name: String
        var declaredType: String
        var isNotNull: Bool
        /// The default as SQL text, exactly as SQLite stored it.
        var defaultSQL: String?
        /// 1-based position in the primary key, 0 when not part of it.
        var primaryKeyPosition: Int
        var collation: String?
        var checks: [String]
        /// The whole definition of a generated column, as written (kept verbatim).
        var generatedDefinition: String?
        /// The column of the old table this one is copied from; nil for a new column, which
        /// old rows fill with its default.
        var source: String?

        var isGenerated: Bool { generatedDefinition != nil }
    }

    struct ForeignKey: Sendable {
        var columns: [String]
        var parentTable: String
        /// The referenced columns; empty when the key references the parent's primary key.
        var parentColumns: [String]
        var onUpdate: String
        var onDelete: String
    }

    var table: TableName
    var columns: [Column]
    var uniqueConstraints: [[String]]
    var foreignKeys: [ForeignKey]
    var tableChecks: [String]
    var options: String
    var isAutoincrement: Bool

    var isWithoutRowid: Bool {
        let words = options.uppercased().split(whereSeparator: { !$0.isLetter })
        return zip(words, words.dropFirst()).contains { $0 == "WITHOUT" && $1 == "ROWID" }
    }

    var primaryKey: [String] {
        columns.filter { $0.primaryKeyPosition > 0 }.sorted { $0.primaryKeyPosition < $1.primaryKeyPosition }.map(\.name)
    }

    func columnIndex(named name: String) -> Int? {
        let lowered = name.lowercased()
        return columns.firstIndex { $0.name.lowercased() == lowered }
    }

    /// Reads a table's model from the database, or nil when it does not exist.
    static func reflect(_ table: TableName, on connection: some MigrationConnection) throws -> SQLiteTableModel? {
        let schema = DatabaseValue.text(table.schema ?? "main")
        let name = DatabaseValue.text(table.name)
        let master = SQLiteDialect.sqlite.quote(table.schema ?? "main") + ".sqlite_master"
        let createRows = try connection.query(
            "SELECT name, sql FROM \(master) WHERE type = 'table' AND name = ? COLLATE NOCASE", arguments: [name])
        guard let createRow = createRows.first, case .text(let storedName) = createRow[0] else { return nil }
        let createSQL: String = if case .text(let sql) = createRow[1] { sql } else { "" }
        if createSQL.uppercased().hasPrefix("CREATE VIRTUAL") {
            throw MigrationError.unsupportedOperation("rebuilding virtual table \(table)")
        }
        let text = SQLiteCreateTableText(sql: createSQL)
        let table = TableName(storedName, schema: table.schema)

        var columns: [Column] = []
        for row in try connection.query(
            "SELECT name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo(?, ?) ORDER BY cid",
            arguments: [name, schema]
        ) {
            guard case .text(let columnName) = row[0] else { continue }
            let hidden = row[5].pragmaInteger
            if hidden == 1 { continue }
            let clauses = text.columns[columnName.lowercased()] ?? SQLiteCreateTableText.ColumnClauses()
            columns.append(Column(
                name: columnName, declaredType: row[1].pragmaText ?? "", isNotNull: row[2].pragmaInteger == 1,
                defaultSQL: row[3].pragmaText, primaryKeyPosition: row[4].pragmaInteger,
                collation: clauses.collation, checks: clauses.checks,
                generatedDefinition: hidden == 2 || hidden == 3 ? clauses.generatedDefinition ?? "" : nil,
                source: columnName))
        }

        var uniqueConstraints: [[String]] = []
        for row in try connection.query(
            "SELECT name FROM pragma_index_list(?, ?) WHERE origin = 'u' ORDER BY seq DESC", arguments: [name, schema]
        ) {
            guard case .text(let index) = row[0] else { continue }
            let names = try connection.query(
                "SELECT name FROM pragma_index_info(?, ?) ORDER BY seqno", arguments: [.text(index), schema]
            ).compactMap { $0[0].pragmaText }
            uniqueConstraints.append(names)
        }

        var foreignKeys: [Int: ForeignKey] = [:]
        for row in try connection.query(
            "SELECT id, \"table\", \"from\", \"to\", on_update, on_delete FROM pragma_foreign_key_list(?, ?) ORDER BY id, seq",
            arguments: [name, schema]
        ) {
            let id = row[0].pragmaInteger
            var key = foreignKeys[id] ?? ForeignKey(
                columns: [], parentTable: row[1].pragmaText ?? "", parentColumns: [],
                onUpdate: row[4].pragmaText ?? "NO ACTION", onDelete: row[5].pragmaText ?? "NO ACTION")
            key.columns.append(row[2].pragmaText ?? "")
            if let parentColumn = row[3].pragmaText { key.parentColumns.append(parentColumn) }
            foreignKeys[id] = key
        }

        return SQLiteTableModel(
            table: table, columns: columns, uniqueConstraints: uniqueConstraints,
            // foreign_key_list numbers keys from the last declared; declare them in source order.
            foreignKeys: foreignKeys.keys.sorted(by: >).compactMap { foreignKeys[$0] },
            tableChecks: text.tableChecks, options: text.options,
            isAutoincrement: text.columns.values.contains { $0.isAutoincrement })
    }

    /// A stored default as a `DEFAULT` clause accepts it: SQLite stores `DEFAULT (1 + 2)` as
    /// `1 + 2`, which must get its parentheses back; literals and the `CURRENT_*` keywords
    /// are kept bare so that they reflect exactly as before.
    static func defaultClause(_ stored: String) -> String {
        let tokens = SQLTokenizer(syntax: SQLiteDialect.sqlite.syntax).tokens(stored)
        let bareWords: Set = ["NULL", "TRUE", "FALSE", "CURRENT_TIME", "CURRENT_DATE", "CURRENT_TIMESTAMP"]
        switch tokens.count {
        case 1 where tokens[0].kind == .string || tokens[0].kind == .number || bareWords.contains(tokens[0].keyword):
            return stored
        case 2 where (tokens[0].isPunctuation("-") || tokens[0].isPunctuation("+")) && tokens[1].kind == .number:
            return stored
        default:
            return "(" + stored + ")"
        }
    }

    /// The `CREATE TABLE` statement of this model under another name (in the same database).
    func createSQL(named name: String) -> String {
        let dialect = SQLiteDialect.sqlite
        let key = primaryKey
        let autoincrementColumn = isAutoincrement && key.count == 1 ? key[0] : nil
        var definitions: [String] = columns.map { column in
            if let generated = column.generatedDefinition { return generated }
            var definition = dialect.quote(column.name)
            if !column.declaredType.isEmpty { definition += " " + column.declaredType }
            if column.name == autoincrementColumn { definition += " PRIMARY KEY AUTOINCREMENT" }
            if column.isNotNull { definition += " NOT NULL" }
            if let value = column.defaultSQL { definition += " DEFAULT " + Self.defaultClause(value) }
            if let collation = column.collation { definition += " COLLATE " + collation }
            for check in column.checks { definition += " " + check }
            return definition
        }
        if !key.isEmpty && autoincrementColumn == nil {
            definitions.append("PRIMARY KEY (" + key.map(dialect.quote).joined(separator: ", ") + ")")
        }
        for unique in uniqueConstraints {
            definitions.append("UNIQUE (" + unique.map(dialect.quote).joined(separator: ", ") + ")")
        }
        for foreignKey in foreignKeys {
            var clause = "FOREIGN KEY (" + foreignKey.columns.map(dialect.quote).joined(separator: ", ")
                + ") REFERENCES " + dialect.quote(foreignKey.parentTable)
            if !foreignKey.parentColumns.isEmpty {
                clause += " (" + foreignKey.parentColumns.map(dialect.quote).joined(separator: ", ") + ")"
            }
            if foreignKey.onUpdate != "NO ACTION" { clause += " ON UPDATE " + foreignKey.onUpdate }
            if foreignKey.onDelete != "NO ACTION" { clause += " ON DELETE " + foreignKey.onDelete }
            definitions.append(clause)
        }
        definitions.append(contentsOf: tableChecks)
        return "CREATE TABLE " + dialect.quote(TableName(name, schema: table.schema)) + " ("
            + definitions.joined(separator: ", ") + ")" + (options.isEmpty ? "" : " " + options)
    }
}
