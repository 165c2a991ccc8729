extension LintRule {
    /// Why the pattern breaks code still running during a rolling deploy, in one sentence.
    public var hazard: String {
        switch self {
        case .dropColumn:
            "Instances still running the previous release declare the column: Driftless keeps their reads working "
                + "(they read its declared default) but drops or rejects what they write to it, and any other client "
                + "naming it fails with `no such column` / 42703."
        case .renameColumn:
            "To code still running, a rename is a drop of the old name: its reads fall back to the default and its writes are lost, "
                + "while new code finds nothing under the new name until the migration runs."
        case .dropTable:
            "Instances still running the previous release read nothing from the table and fail to write to it."
        case .renameTable:
            "To code still running, a rename is a drop of the old table: reads return nothing and writes fail until every instance "
                + "runs the new code."
        case .changeColumnType:
            "Code still running writes and decodes the old type; on PostgreSQL the change also rewrites the table under an "
                + "ACCESS EXCLUSIVE lock, blocking every read and write while it runs."
        case .addNotNullColumnWithoutDefault:
            "Rows already in the table have no value for it, so the migration fails on a non-empty table, and inserts from code "
                + "that does not know the column fail afterwards."
        case .nonConcurrentIndex:
            "CREATE INDEX without CONCURRENTLY blocks every write to the table until the index is built."
        case .missingLockTimeout:
            "A DDL statement waiting for its lock behind one long transaction blocks every query queued behind it: "
                + "without lock_timeout the migration can take the application down while it waits."
        case .concurrentIndexInTransaction:
            "PostgreSQL refuses CONCURRENTLY inside a transaction block, so the migration fails when it runs."
        case .dropCascade:
            "CASCADE also drops (or empties) every object that depends on this one (views, foreign keys, the columns "
                + "of a dropped type, every table of a dropped schema, the tables a TRUNCATE reaches), including what code "
                + "still running uses; the lint cannot list them."
        case .unverifiableStatement:
            "The lint cannot read what this changes (a DO block, dynamic EXECUTE, a procedure call, Swift code, or a "
                + "statement it does not know), so it cannot vouch that code still running survives it."
        default:
            ""
        }
    }

    /// The safe alternative, in the terms of the migration API.
    public var safeAlternative: String {
        switch self {
        case .dropColumn:
            "Expand/contract: first ship code that no longer declares the column (remove it from the record), deploy it "
                + "everywhere, then drop the column in a later migration."
        case .renameColumn:
            "Declare the new name with the old one as a previous name (`Column(\"new\", \\.value, previousNames: [\"old\"])`) "
                + "and deploy it everywhere first: the rename is then safe. Or expand/contract: add the new column (the records "
                + "write both while both exist), `up.backfill` it in batches, deploy, and drop the old one in a later migration."
        case .dropTable:
            "Remove the record and every use of the table from the code, deploy it everywhere, then drop the table in a later "
                + "migration."
        case .renameTable:
            "Declare the new name with the old one as a previous name (`RecordSchema(table: \"new\", previousNames: [\"old\"])`) "
                + "and deploy it everywhere first; or create the new table, write both and backfill, then drop the old one later."
        case .changeColumnType:
            "Add a new column of the new type, backfill it in batches, switch the record to it, deploy, and drop the old "
                + "column in a later migration."
        case .addNotNullColumnWithoutDefault:
            "Add the column nullable, or with a constant default (`addColumn(..., nullable: false, default: ...)`, cheap on "
                + "PostgreSQL 11+ and SQLite), backfill in batches, then make it NOT NULL in a later migration "
                + "(on PostgreSQL: a CHECK (column IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT, then SET NOT NULL)."
        case .nonConcurrentIndex:
            "`createIndex(..., concurrently: true)` (CREATE INDEX CONCURRENTLY) in a migration created with "
                + "`transactional: false`."
        case .missingLockTimeout:
            "Start the migration with `lockTimeout(.seconds(2))` (or `SET lock_timeout = '2s'` in SQL) so that it fails fast "
                + "and can be retried instead of queueing the application behind it."
        case .concurrentIndexInTransaction:
            "Create the migration with `transactional: false` (or mark the SQL file non-transactional), and keep the "
                + "concurrent index in a migration of its own."
        case .dropCascade:
            "Drop the dependents explicitly, each in the expand/contract order its own rule asks for, then drop the object "
                + "without CASCADE, so that the database refuses while anything still depends on it."
        case .unverifiableStatement:
            "Write the schema change as plain DDL (or builder operations) the lint can read; or review it by hand and "
                + "acknowledge `unverifiable-statement` for this migration."
        default:
            ""
        }
    }
}
