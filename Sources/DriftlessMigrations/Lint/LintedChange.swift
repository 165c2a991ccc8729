import Driftless

/// One schema change as the lint sees it, whether a Swift migration recorded it as a
/// ``SchemaOperation`` or a SQL file wrote it as a statement: the rules are written once,
/// against this, by the engine (``LintContext``) and by a dialect's own ``LintCheck``s.
public struct LintedChange: Sendable {
    public enum Kind: Sendable {
        case createTable(TableName)
        case dropTable(TableName)
        case renameTable(TableName, to: String)
        /// `isRequired`: NOT NULL (or a primary key) with no default to fill existing rows.
        case addColumn(TableName, column: String, isRequired: Bool)
        case dropColumn(TableName, column: String)
        case renameColumn(TableName, from: String, to: String)
        /// Any ALTER COLUMN; `changesType` when it changes the type.
        case alterColumn(TableName, column: String, changesType: Bool)
        case createIndex(table: TableName, concurrently: Bool)
        case dropIndex(concurrently: Bool)
        /// `SET lock_timeout`; `isEffective` is false for `0`, `DEFAULT` and `RESET`.
        case setLockTimeout(isEffective: Bool)
        /// Another statement that takes a strong lock on a table (TRUNCATE, LOCK, other
        /// ALTER TABLE actions, CREATE TRIGGER...); nil when the table is unknown.
        case otherLocking(TableName?)
        /// `CASCADE` on a drop (or a truncate): whatever depends on the object goes too.
        case cascade
        /// A statement or operation whose effect the lint cannot read.
        case unverifiable
        /// Statements that change no schema (data migrations, SELECT).
        case data
    }

    public var kind: Kind
    /// The operation or statement, shortened, for messages.
    public var summary: String
}

extension LintedChange {
    /// The changes a recorded operation makes. `.execute` and `.script` are read with
    /// ``SQLStatementClassifier``; `.custom` code is unverifiable, except the one
    /// ``MigrationBuilder/lockTimeout(_:)`` records.
    static func changes(of operation: SchemaOperation, syntax: SQLSyntax) -> [LintedChange] {
        let summary = operation.description
        func change(_ kind: Kind) -> [LintedChange] { [LintedChange(kind: kind, summary: summary)] }
        switch operation {
        case .createTable(let table):
            return change(.createTable(table.name))
        case .dropTable(let table, _):
            return change(.dropTable(table))
        case .renameTable(let table, let newName):
            return change(.renameTable(table, to: newName))
        case .addColumn(let table, let column, _):
            let required = (!column.isNullable || column.isPrimaryKey) && (column.defaultValue ?? .null).isNull
            return change(.addColumn(table, column: column.name, isRequired: required))
        case .dropColumn(let table, let column):
            return change(.dropColumn(table, column: column))
        case .renameColumn(let table, let old, let new):
            return change(.renameColumn(table, from: old, to: new))
        case .alterColumn(let table, let column, let alteration):
            return change(.alterColumn(table, column: column, changesType: alteration.type != nil))
        case .createIndex(let index):
            return change(.createIndex(table: index.table, concurrently: index.concurrently))
        case .dropIndex(_, _, let concurrently, _):
            return change(.dropIndex(concurrently: concurrently))
        case .execute(let sql, _), .script(let sql):
            return SQLStatementClassifier(syntax: syntax).changes(in: sql)
        case .custom(let name, _):
            if name.hasPrefix(MigrationBuilder.lockTimeoutOperationPrefix) {
                return change(.setLockTimeout(isEffective: true))
            }
            return change(.unverifiable)
        }
    }
}
