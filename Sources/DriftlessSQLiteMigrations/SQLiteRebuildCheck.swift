import DriftlessMigrations

/// SQLite's rule: what `ALTER TABLE` cannot do (changing a column, adding a key or a NOT NULL
/// column without a default) the migration builder does by rebuilding the table, which
/// copies every row under the database's write lock (``SQLiteAlterations``).
struct SQLiteRebuildCheck: LintCheck {
    mutating func inspect(_ change: LintedChange, in context: inout LintContext) {
        guard change.operation != nil else { return }  // SQL text says ALTER TABLE, which SQLite runs in place
        switch change.kind {
        case .alterColumn(let table, let column, _) where !context.isNew(table):
            context.report(.sqliteTableRebuild, "`\(change.summary)` rebuilds \(SchemaOperation.quoted(table)) to alter \(column).")
        case .addColumn(let table, let column, _) where !context.isNew(table):
            guard case .addColumn(_, let added, _) = change.operation, SQLiteAlterations.addColumnNeedsRebuild(added) else { return }
            context.report(.sqliteTableRebuild, "`\(change.summary)` rebuilds \(SchemaOperation.quoted(table)) to add \(column).")
        default:
            break
        }
    }
}
