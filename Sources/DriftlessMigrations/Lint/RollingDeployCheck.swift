import Driftless

/// The rules every database shares (``LintRule/sharedRules``): dropping or renaming what a
/// record still declares, changing a column's type, adding a column existing rows cannot
/// fill, `CASCADE` on a drop or truncate, transaction control inside a transactional
/// migration, an unbounded backfill in the migration's transaction, and what the lint
/// cannot read. Changes to a table the migration created are never flagged.
struct RollingDeployCheck: LintCheck {
    mutating func inspect(_ change: LintedChange, in context: inout LintContext) {
        let summary = "`\(change.summary)`"
        switch change.kind {
        case .dropTable(let table) where !context.isNew(table):
            if let use = context.use(of: table) { context.report(.dropTable, "\(summary) drops \(SchemaOperation.quoted(table)), \(use).") }
        case .renameTable(let table, let newName) where !context.isNew(table):
            if let use = context.use(of: table) ?? context.renameWithoutPreviousName(of: table, to: newName) {
                context.report(.renameTable, "\(summary) renames \(SchemaOperation.quoted(table)), \(use).")
            }
        case .addColumn(let table, let column, let isRequired) where isRequired && !context.isNew(table):
            context.report(.addNotNullColumnWithoutDefault, "\(summary) adds \(SchemaOperation.quoted(table, column)) as NOT NULL without a default.")
        case .dropColumn(let table, let column) where !context.isNew(table):
            if let use = context.use(of: table, column: column) {
                context.report(.dropColumn, "\(summary) drops \(SchemaOperation.quoted(table, column)), \(use).")
            }
        case .renameColumn(let table, let old, let new) where !context.isNew(table):
            if let use = context.use(of: table, column: old) ?? context.renameWithoutPreviousName(of: table, column: old, to: new) {
                context.report(.renameColumn, "\(summary) renames \(SchemaOperation.quoted(table, old)), \(use).")
            }
        case .alterColumn(let table, let column, let changesType) where changesType && !context.isNew(table):
            context.report(.changeColumnType, "\(summary) changes the type of \(SchemaOperation.quoted(table, column)).")
        case .cascade:
            context.report(.dropCascade, "\(summary) uses CASCADE.")
        case .truncate(_, let cascade) where cascade:
            context.report(.truncateCascade, "\(summary) truncates with CASCADE.")
        case .transactionControl(let verb) where context.migration.isTransactional:
            context.report(.transactionControl, "\(summary) runs \(verb) inside the migration's transaction.")
        case .backfill(let table, let isBounded) where !isBounded && context.migration.isTransactional && table.map(context.isNew) != true:
            context.report(.unboundedBackfill, "\(summary) changes every matching row of an existing table in the migration's transaction.")
        case .unverifiable:
            context.report(.unverifiableStatement, "\(summary) is not something the lint can read.")
        default:
            break
        }
    }
}
