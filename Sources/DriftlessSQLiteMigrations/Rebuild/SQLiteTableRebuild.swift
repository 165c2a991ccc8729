import Driftless
import DriftlessMigrations
import DriftlessSQLite

/// SQLite's general procedure for a table change `ALTER TABLE` cannot make ("Making Other
/// Kinds Of Table Schema Changes" in the SQLite documentation; Alembic's batch mode):
///
/// 1. reflect the table into a ``SQLiteTableModel`` and apply the change to the model;
/// 2. remember the table's indexes and triggers, and every view or trigger elsewhere whose
///    SQL names the table (SQLite refuses the final rename while a view or trigger refers to
///    a missing table), and drop those views and triggers;
/// 3. `CREATE TABLE "_driftless_new_<name>"` from the changed model;
/// 4. `INSERT INTO` it `SELECT` the kept columns (and the rowid, so implicit rowids survive)
///    from the old table;
/// 5. `DROP TABLE` the old one, `ALTER TABLE ... RENAME` the new one to the old name;
/// 6. recreate the indexes, views and triggers from their stored SQL, in their original
///    order, leaving out indexes on a dropped column; restore the AUTOINCREMENT counter.
///
/// All of it runs inside a savepoint: a failure at any step (a NULL in a column made NOT
/// NULL, a trigger naming a dropped column) rolls back to the table exactly as it was,
/// whether or not the caller opened a transaction.
///
/// Values are copied as they are and converted by the new column's type affinity, not with
/// `CAST`: affinity converts exactly the values that convert losslessly (`'12'` into an
/// INTEGER column becomes 12) and keeps the others, where `CAST('abc' AS INTEGER)` is 0 and
/// `CAST(1.5 AS INTEGER)` is 1, silently. A STRICT table rejects a value that does not
/// convert, and the rebuild rolls back.
///
/// Foreign keys: the migration runner turns `PRAGMA foreign_keys` off outside the migration's
/// transaction and runs `PRAGMA foreign_key_check` before committing. With foreign keys
/// enforced, dropping the old copy would delete (`ON DELETE CASCADE`) or orphan the rows of
/// tables that reference it, so the rebuild throws ``MigrationError/Code/foreignKeysEnforced``
/// instead when other tables reference this one.
struct SQLiteTableRebuild {
    /// The change to make to the model. It may throw to refuse a change.
    typealias Change = (inout SQLiteTableModel) throws -> Void

    let table: TableName
    /// Lower-cased names of old columns whose indexes are dropped rather than recreated.
    var droppedColumns: Set<String> = []

    static let savepoint = "driftless_rebuild"
    static func temporaryName(for table: String) -> String { "_driftless_new_" + table }

    func run(on connection: some MigrationConnection, change: Change) throws {
        let dialect = SQLiteDialect.sqlite
        if let schema = table.schema, schema.lowercased() != "main" {
            throw MigrationError.unsupportedOperation(
                "rebuilding \(table): a table rebuild in an attached database is not supported")
        }
        guard var model = try SQLiteTableModel.reflect(table, on: connection) else {
            throw MigrationError.tableNotFound(table.description)
        }
        try change(&model)
        let name = model.table.name
        let qualified = dialect.quote(model.table)
        let temporary = Self.temporaryName(for: name)

        try checkForeignKeys(model.table, on: connection)
        let dependents = try Dependents.collect(for: name, droppedColumns: droppedColumns, on: connection)
        let sequence: DatabaseValue? = model.isAutoincrement
            ? try connection.query("SELECT seq FROM sqlite_sequence WHERE name = ?", arguments: [.text(name)]).first?[0]
            : nil

        try connection.execute("SAVEPOINT " + Self.savepoint, arguments: [])
        do {
            for object in dependents.toDrop {
                try connection.execute("DROP \(object.type.uppercased()) IF EXISTS " + dialect.quote(object.name), arguments: [])
            }
            try connection.execute(model.createSQL(named: temporary), arguments: [])
            var targets: [String] = []
            var sources: [String] = []
            if !model.isWithoutRowid, let rowid = Self.rowidAlias(model) {
                targets.append(rowid)
                sources.append(rowid)
            }
            for column in model.columns where !column.isGenerated {
                guard let source = column.source else { continue }
                targets.append(dialect.quote(column.name))
                sources.append(dialect.quote(source))
            }
            if !targets.isEmpty {
                try connection.execute(
                    "INSERT INTO " + dialect.quote(temporary) + " (" + targets.joined(separator: ", ") + ") SELECT "
                        + sources.joined(separator: ", ") + " FROM " + qualified, arguments: [])
            }
            try connection.execute("DROP TABLE " + qualified, arguments: [])
            try connection.execute("ALTER TABLE " + dialect.quote(temporary) + " RENAME TO " + dialect.quote(name), arguments: [])
            for object in dependents.toRecreate {
                try connection.execute(object.sql, arguments: [])
            }
            if case .integer(let seq)? = sequence {
                try connection.execute(
                    "INSERT INTO sqlite_sequence (name, seq) SELECT ?, 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?)",
                    arguments: [.text(name), .text(name)])
                try connection.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = ? AND seq < ?",
                                       arguments: [.integer(seq), .text(name), .integer(seq)])
            }
            try connection.execute("RELEASE " + Self.savepoint, arguments: [])
        } catch {
            try? connection.execute("ROLLBACK TO " + Self.savepoint, arguments: [])
            try? connection.execute("RELEASE " + Self.savepoint, arguments: [])
            throw error
        }
    }

    /// A name for the rowid that no column shadows, or nil if all three are taken.
    private static func rowidAlias(_ model: SQLiteTableModel) -> String? {
        let taken = Set(model.columns.map { $0.name.lowercased() })
        return ["rowid", "_rowid_", "oid"].first { !taken.contains($0) }
    }

    /// Throws when foreign keys are enforced and another table references this one.
    private func checkForeignKeys(_ table: TableName, on connection: some MigrationConnection) throws {
        guard try connection.query("PRAGMA foreign_keys", arguments: []).first?.first == .integer(1) else { return }
        let referencing = try connection.query("""
            SELECT DISTINCT m.name FROM sqlite_master AS m, pragma_foreign_key_list(m.name) AS f
            WHERE m.type = 'table' AND f."table" = ? COLLATE NOCASE AND m.name <> ? COLLATE NOCASE
            ORDER BY m.name
            """, arguments: [.text(table.name), .text(table.name)]).compactMap { $0[0].pragmaText }
        if !referencing.isEmpty {
            throw MigrationError.foreignKeysEnforced(table: table.description, referencedBy: referencing)
        }
    }
}

extension SQLiteTableRebuild {
    /// A schema object to drop and recreate around the rebuild.
    struct SchemaObject: Sendable {
        var type: String
        var name: String
        var sql: String
    }

    /// The indexes, triggers and views a rebuild has to put back.
    struct Dependents: Sendable {
        /// Views and triggers to drop before the old table goes (its own indexes and triggers
        /// go with it).
        var toDrop: [SchemaObject] = []
        /// Everything to recreate afterwards, in `sqlite_master` order.
        var toRecreate: [SchemaObject] = []

        static func collect(
            for table: String, droppedColumns: Set<String>, on connection: some MigrationConnection
        ) throws -> Dependents {
            let tokenizer = SQLTokenizer(syntax: SQLiteDialect.sqlite.syntax)
            let lowered = table.lowercased()
            func mentions(_ sql: String, _ names: Set<String>) -> Bool {
                tokenizer.tokens(sql).contains { $0.isIdentifier && names.contains($0.text.lowercased()) }
            }
            var dependents = Dependents()
            var droppedViews: Set<String> = []
            let rows = try connection.query(
                "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL AND type IN ('index', 'trigger', 'view') ORDER BY rowid",
                arguments: [])
            // Views first, since a trigger may sit on a dropped view, and transitively, since
            // a view over a dropped view would fail the rename just the same.
            var referenced: Set<String> = [lowered]
            var grew = true
            while grew {
                grew = false
                for row in rows where row[0].pragmaText == "view" {
                    guard let name = row[1].pragmaText?.lowercased(), !droppedViews.contains(name),
                          let sql = row[3].pragmaText, mentions(sql, referenced) else { continue }
                    droppedViews.insert(name)
                    referenced.insert(name)
                    grew = true
                }
            }
            for row in rows {
                guard let type = row[0].pragmaText, let name = row[1].pragmaText,
                      let owner = row[2].pragmaText?.lowercased(), let sql = row[3].pragmaText else { continue }
                let object = SchemaObject(type: type, name: name, sql: sql)
                switch type {
                case "index" where owner == lowered:
                    let indexColumns = try connection.query(
                        "SELECT name FROM pragma_index_xinfo(?) WHERE key = 1", arguments: [.text(name)]
                    ).compactMap { $0[0].pragmaText?.lowercased() }
                    let onDropped = !droppedColumns.isDisjoint(with: indexColumns)
                        || (!droppedColumns.isEmpty && mentions(sql, droppedColumns))
                    if !onDropped { dependents.toRecreate.append(object) }
                case "trigger" where owner == lowered:
                    dependents.toRecreate.append(object)
                case "trigger" where droppedViews.contains(owner) || mentions(sql, referenced):
                    dependents.toDrop.append(object)
                    dependents.toRecreate.append(object)
                case "view" where droppedViews.contains(name.lowercased()):
                    dependents.toDrop.append(object)
                    dependents.toRecreate.append(object)
                default:
                    break
                }
            }
            // Drop triggers before the views they may sit on.
            dependents.toDrop.sort { $0.type == "trigger" && $1.type != "trigger" }
            return dependents
        }
    }
}
