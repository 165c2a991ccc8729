import DriftlessMigrations

/// PostgreSQL's index rules: `CREATE INDEX` without `CONCURRENTLY` on an existing table
/// blocks every write until the index is built, `DROP INDEX` and `REINDEX` without it block
/// reads and writes; `CONCURRENTLY` in a transactional migration fails, since PostgreSQL
/// refuses it inside a transaction block.
struct ConcurrentIndexCheck: LintCheck {
    mutating func inspect(_ change: LintedChange, in context: inout LintContext) {
        switch change.kind {
        case .createIndex(let table, let concurrently):
            if concurrently && context.migration.isTransactional {
                context.report(.concurrentIndexInTransaction, "`\(change.summary)` runs CONCURRENTLY in a transactional migration.")
            }
            if !concurrently && !context.isNew(table) {
                context.report(.nonConcurrentIndex, "`\(change.summary)` builds an index on \(SchemaOperation.quoted(table)) without CONCURRENTLY.")
            }
        case .dropIndex(let concurrently), .reindex(let concurrently):
            let isReindex = if case .reindex = change.kind { true } else { false }
            if concurrently && context.migration.isTransactional {
                context.report(.concurrentIndexInTransaction, "`\(change.summary)` runs CONCURRENTLY in a transactional migration.")
            }
            if !concurrently {
                context.report(isReindex ? .nonConcurrentReindex : .nonConcurrentDropIndex,
                               "`\(change.summary)` runs without CONCURRENTLY.")
            }
        default:
            break
        }
    }
}
