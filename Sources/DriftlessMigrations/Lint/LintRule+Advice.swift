extension LintRule {
    /// What the rule flags, in a few words (the catalogue's first column).
    public var summary: String { Self.catalogue[rawValue]?.summary ?? rawValue }

    /// Why the pattern breaks code still running during a rolling deploy, or stops it, in
    /// one or two sentences.
    public var hazard: String { Self.catalogue[rawValue]?.hazard ?? "" }

    /// The safe alternative, in the terms of the migration API.
    public var safeAlternative: String { Self.catalogue[rawValue]?.safeAlternative ?? "" }

    private struct Advice {
        var summary: String
        var hazard: String
        var safeAlternative: String
    }

    private static let expandContract = "Expand/contract: "

    private static let catalogue: [String: Advice] = [
        "drop-column": Advice(
            summary: "dropping a column a record still declares (every drop without records)",
            hazard: "Instances still running the previous release declare the column: Driftless keeps their reads working "
                + "(they read its declared default) but drops or rejects what they write to it, and any other client "
                + "naming it fails with `no such column` / 42703.",
            safeAlternative: expandContract + "first ship code that no longer declares the column (remove it from the record), "
                + "deploy it everywhere, then drop the column in a later migration."),
        "rename-column": Advice(
            summary: "renaming a column a record declares without it as a previous name",
            hazard: "To code still running, a rename is a drop of the old name: its reads fall back to the default and its writes "
                + "are lost, while new code finds nothing under the new name until the migration runs.",
            safeAlternative: "Declare the new name with the old one as a previous name (`Column(\"new\", \\.value, "
                + "previousNames: [\"old\"])`) and deploy it everywhere first: the rename is then safe. Or " + expandContract.lowercased()
                + "add the new column (records with the previous name write both while both exist), `up.backfill` it in batches, "
                + "deploy, and drop the old one in a later migration."),
        "drop-table": Advice(
            summary: "dropping a table a record still declares",
            hazard: "Instances still running the previous release read nothing from the table and fail to write to it.",
            safeAlternative: "Remove the record and every use of the table from the code, deploy it everywhere, then drop the "
                + "table in a later migration."),
        "rename-table": Advice(
            summary: "renaming a table a record declares without it as a previous name",
            hazard: "To code still running, a rename is a drop of the old table: reads return nothing and writes fail until every "
                + "instance runs the new code.",
            safeAlternative: "Declare the new name with the old one as a previous name (`RecordSchema(table: \"new\", "
                + "previousNames: [\"old\"])`) and deploy it everywhere first; or create the new table, write both and backfill, "
                + "switch the record to it, deploy, then drop the old table later."),
        "change-column-type": Advice(
            summary: "changing the type of an existing column",
            hazard: "Code still running writes and decodes the old type; on PostgreSQL most type changes also rewrite the table "
                + "under an ACCESS EXCLUSIVE lock, blocking every read and write while it runs.",
            safeAlternative: "Add a new column of the new type, backfill it in batches, switch the record to it, deploy, and drop "
                + "the old column in a later migration."),
        "add-not-null-without-default": Advice(
            summary: "adding a NOT NULL column (or a key column) without a default to an existing table",
            hazard: "Rows already in the table have no value for it, so the migration fails on a non-empty table, and inserts "
                + "from code that does not know the column fail afterwards.",
            safeAlternative: "Add the column nullable, or with a constant default (`addColumn(..., nullable: false, default: ...)`, "
                + "cheap on PostgreSQL 11+ and SQLite), backfill in batches, then make it NOT NULL in a later migration "
                + "(on PostgreSQL: a CHECK (column IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT, then SET NOT NULL)."),
        "drop-cascade": Advice(
            summary: "CASCADE on a drop",
            hazard: "CASCADE also drops every object that depends on this one (views, foreign keys, the columns of a dropped "
                + "type, every table of a dropped schema), including what code still running uses; the lint cannot list them.",
            safeAlternative: "Drop the dependents explicitly, each in the expand/contract order its own rule asks for, then drop "
                + "the object without CASCADE, so that the database refuses while anything still depends on it."),
        "truncate-cascade": Advice(
            summary: "TRUNCATE ... CASCADE",
            hazard: "CASCADE also empties every table with a foreign key to the truncated ones, and their referencing tables in "
                + "turn: rows code still running reads are gone, and the lint cannot list the tables.",
            safeAlternative: "Name every table to empty in the TRUNCATE (or DELETE in batches), without CASCADE, so that the "
                + "database refuses while another table still references them."),
        "drop-schema": Advice(
            summary: "dropping a schema",
            hazard: "A schema holds tables, views, types and functions; code still running that names any of them fails, and "
                + "with CASCADE they all go at once.",
            safeAlternative: "Move or drop what the schema holds in migrations of their own (each under its own rule), after the "
                + "code stopped using it, then drop the empty schema without CASCADE."),
        "drop-type": Advice(
            summary: "dropping a type or domain",
            hazard: "Columns of the type block the drop, or, with CASCADE, go with it: code still running that reads or writes "
                + "them fails.",
            safeAlternative: "Change or drop the columns of the type first, each under its own rule and after the code stopped "
                + "using them, then drop the type without CASCADE."),
        "drop-database": Advice(
            summary: "dropping a database in a migration",
            hazard: "Everything in it goes, and PostgreSQL refuses DROP DATABASE inside a transaction block, so a transactional "
                + "migration fails anyway.",
            safeAlternative: "Drop databases by hand, outside migrations, once nothing connects to them."),
        "transaction-control": Advice(
            summary: "BEGIN / COMMIT / ROLLBACK inside a transactional migration",
            hazard: "The runner runs the migration and its version update in one transaction: a COMMIT inside ends it early "
                + "(what follows, and the version update, run outside it, so a failure leaves the schema half changed and the "
                + "version table behind), a BEGIN nests (a warning on PostgreSQL, an error on SQLite), a ROLLBACK undoes the "
                + "migration but not the runner's bookkeeping.",
            safeAlternative: "Leave transaction control to the runner: remove the statements, or mark the migration "
                + "non-transactional (`transactional: false`, `-- transactional: false`) and split what must commit "
                + "separately into migrations of their own."),
        "unverifiable-statement": Advice(
            summary: "a statement or operation the lint cannot read",
            hazard: "The lint cannot read what this changes (a DO block, dynamic EXECUTE, a procedure call, Swift code, or a "
                + "statement it does not know), so it cannot vouch that code still running survives it.",
            safeAlternative: "Write the schema change as plain DDL (or builder operations) the lint can read; or review it by hand "
                + "and acknowledge `unverifiable-statement` for this migration."),
        "non-concurrent-index": Advice(
            summary: "CREATE INDEX without CONCURRENTLY on an existing table",
            hazard: "CREATE INDEX without CONCURRENTLY blocks every write to the table until the index is built.",
            safeAlternative: "`createIndex(..., concurrently: true)` (CREATE INDEX CONCURRENTLY) in a migration created with "
                + "`transactional: false`."),
        "non-concurrent-drop-index": Advice(
            summary: "DROP INDEX without CONCURRENTLY",
            hazard: "DROP INDEX takes an ACCESS EXCLUSIVE lock on the index's table: while it waits behind a long query, every "
                + "read and write queues behind it.",
            safeAlternative: "`dropIndex(..., concurrently: true)` (DROP INDEX CONCURRENTLY) in a migration created with "
                + "`transactional: false`."),
        "non-concurrent-reindex": Advice(
            summary: "REINDEX without CONCURRENTLY",
            hazard: "REINDEX blocks every write to the table (and reads that use the index) until the index is rebuilt.",
            safeAlternative: "REINDEX ... CONCURRENTLY (PostgreSQL 12+) in a migration created with `transactional: false`."),
        "concurrent-index-in-transaction": Advice(
            summary: "CONCURRENTLY inside a transactional migration",
            hazard: "PostgreSQL refuses CONCURRENTLY inside a transaction block, so the migration fails when it runs.",
            safeAlternative: "Create the migration with `transactional: false` (or mark the SQL file non-transactional), and keep "
                + "the concurrent index in a migration of its own."),
        "add-unique-constraint": Advice(
            summary: "adding a UNIQUE or PRIMARY KEY constraint that builds its index",
            hazard: "ADD CONSTRAINT ... UNIQUE (or PRIMARY KEY) builds the index while holding an ACCESS EXCLUSIVE lock on the "
                + "table: no read or write gets through until it is built.",
            safeAlternative: "CREATE UNIQUE INDEX CONCURRENTLY in a non-transactional migration, then "
                + "ALTER TABLE ... ADD CONSTRAINT ... UNIQUE USING INDEX (PRIMARY KEY USING INDEX) in the next one."),
        "add-foreign-key": Advice(
            summary: "adding a FOREIGN KEY without NOT VALID",
            hazard: "Adding a foreign key checks every row while holding a SHARE ROW EXCLUSIVE lock on both tables: writes to "
                + "either stop until the scan ends.",
            safeAlternative: "ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID (only new rows are checked, a brief lock), then "
                + "ALTER TABLE ... VALIDATE CONSTRAINT in a later migration (it scans without blocking writes)."),
        "add-check-constraint": Advice(
            summary: "adding a CHECK constraint without NOT VALID",
            hazard: "Adding a CHECK constraint scans every row while holding an ACCESS EXCLUSIVE lock on the table.",
            safeAlternative: "ADD CONSTRAINT ... CHECK (...) NOT VALID, then ALTER TABLE ... VALIDATE CONSTRAINT in a later "
                + "migration (it scans without blocking reads or writes)."),
        "set-not-null": Advice(
            summary: "SET NOT NULL on an existing column",
            hazard: "SET NOT NULL scans the whole table for NULLs while holding an ACCESS EXCLUSIVE lock: no read or write gets "
                + "through until it ends.",
            safeAlternative: "ADD CONSTRAINT c CHECK (column IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT c in a later migration, "
                + "then SET NOT NULL (PostgreSQL 12+ uses the valid constraint and skips the scan) and drop the constraint."),
        "volatile-default": Advice(
            summary: "adding a column with a volatile default (random(), clock_timestamp(), gen_random_uuid(), serial)",
            hazard: "PostgreSQL 11+ adds a column with a constant default without touching the rows, but a volatile default "
                + "must be computed per row: the whole table is rewritten under an ACCESS EXCLUSIVE lock.",
            safeAlternative: "Add the column without a default (or with a constant one), set the volatile default with "
                + "ALTER COLUMN ... SET DEFAULT (it applies to new rows only), and backfill existing rows in batches."),
        "unbounded-backfill": Advice(
            summary: "an UPDATE or DELETE of an existing table without a batch bound, in the migration's transaction",
            hazard: "One statement over the whole table holds row locks on every row it touches until the migration commits, "
                + "blocking the application's writes to them, and bloats the table; on PostgreSQL, with the migration's DDL "
                + "locks held too. (A bound is a LIMIT, BETWEEN, or a comparison =, <, <=, >, >=, IN in the WHERE clause.)",
            safeAlternative: "Backfill in batches by key range (`WHERE id >= ? AND id < ?`), outside the schema change: in a "
                + "non-transactional migration of its own, or in a job after the deploy."),
        "missing-lock-timeout": Advice(
            summary: "a schema change on an existing table before any lock_timeout",
            hazard: "A DDL statement waiting for its lock behind one long transaction blocks every query queued behind it: "
                + "without lock_timeout the migration can take the application down while it waits.",
            safeAlternative: "Start the migration with `lockTimeout(.seconds(2))` (or `SET lock_timeout = '2s'` in SQL) so that it "
                + "fails fast and can be retried instead of queueing the application behind it."),
        "missing-statement-timeout": Advice(
            summary: "a schema change on an existing table before any statement_timeout",
            hazard: "A statement that scans or rewrites a large table holds its lock for as long as it runs; without "
                + "statement_timeout nothing bounds how long the application waits behind it.",
            safeAlternative: "Start the migration with `statementTimeout(.seconds(30))` (or `SET statement_timeout = '30s'`), "
                + "sized for what it does; a long, lock-free step (CREATE INDEX CONCURRENTLY) can set a longer one."),
        "sqlite-table-rebuild": Advice(
            summary: "a SQLite operation that rebuilds an existing table",
            hazard: "What ALTER TABLE cannot do on SQLite (changing a column's type, nullability or default, adding a key or "
                + "NOT NULL column without a default) rebuilds the table: every row is copied while the migration holds the "
                + "database's write lock, so on a large table every writer waits (and times out) until the copy ends.",
            safeAlternative: "For a large table, add a new column instead (ADD COLUMN needs no rebuild), backfill it in batches, "
                + "switch the record to it, and drop the old one later; or run the rebuild when writers can wait."),
        "prefer-jsonb": Advice(
            summary: "a json column rather than jsonb",
            hazard: "json stores the text as written and parses it on every read; it has no equality operator, so DISTINCT, "
                + "GROUP BY, UNIQUE and most indexes fail on it.",
            safeAlternative: "Use jsonb (binary, indexable with GIN, comparable); keep json only to preserve key order and "
                + "duplicate keys."),
        "prefer-identity": Advice(
            summary: "a serial / bigserial column rather than an identity column",
            hazard: "A serial is a sequence owned by the column through a default: permissions, dumps and copies of the table "
                + "must handle the sequence separately, and inserts that name the column skip it silently.",
            safeAlternative: "bigint GENERATED BY DEFAULT AS IDENTITY (or GENERATED ALWAYS AS IDENTITY)."),
        "prefer-bigint-primary-key": Advice(
            summary: "an int / integer / smallint primary key rather than bigint",
            hazard: "A 32-bit key runs out at 2,147,483,647 rows inserted; widening it later rewrites the table and every "
                + "referencing one under ACCESS EXCLUSIVE locks.",
            safeAlternative: "bigint keys from the start (`.integer` in the migration builder already renders bigint)."),
        "prefer-timestamptz": Advice(
            summary: "timestamp without time zone rather than timestamptz",
            hazard: "timestamp stores wall-clock time without a zone: the same instant reads differently from clients in other "
                + "zones, and daylight-saving changes make values ambiguous.",
            safeAlternative: "timestamptz (`.timestamp` in the migration builder already renders it), which stores an instant."),
        "prefer-text": Advice(
            summary: "char(n) / varchar(n) rather than text",
            hazard: "A length limit fails inserts of longer values at runtime, char(n) pads with spaces, and raising the limit "
                + "later is a schema change; neither is faster than text in PostgreSQL.",
            safeAlternative: "text, with a CHECK (length(column) <= n) constraint where a limit is a rule of the data."),
        "identifier-too-long": Advice(
            summary: "a name over 63 bytes",
            hazard: "PostgreSQL keeps the first 63 bytes of a name and drops the rest without an error: two long names can "
                + "collide, and code that names the object in full does not find it.",
            safeAlternative: "Keep names within 63 bytes of UTF-8 (fewer characters outside ASCII)."),
    ]
}
