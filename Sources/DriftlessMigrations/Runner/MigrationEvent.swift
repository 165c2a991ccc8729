import Driftless

/// Progress of a migration run, for logs and the CLI.
public enum MigrationEvent: Sendable {
    /// A migration is about to run: the `number`-th of about `count` (others may finish the
    /// rest concurrently).
    case started(MigrationStep, number: Int, count: Int)
    /// A migration ran and its version update committed.
    case finished(MigrationStep, number: Int, count: Int, duration: Duration)
    /// A batch of a step's backfill committed (after the step did): `rows` updated so far
    /// in `batches` batches.
    case backfilled(MigrationStep, table: TableName, rows: Int, batches: Int)
}
