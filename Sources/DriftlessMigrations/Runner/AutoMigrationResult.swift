/// What ``Migrator/migrateToLatest(progress:)`` found and did.
public enum AutoMigrationResult: Sendable {
    /// The database was already at every head: one query, no lock.
    case upToDate
    /// This process applied these migrations (others may have applied the rest).
    case migrated(MigrationRun)
    /// The version table names revisions this program does not know: a newer release
    /// migrated the database, which is normal during a rolling deploy. Logged, not fatal;
    /// runtime tolerance covers the difference.
    case databaseAhead(unknownRevisions: [String])

    /// The migrations this process applied.
    public var appliedRevisions: [String] {
        if case .migrated(let run) = self { return run.steps.map(\.revision.id) }
        return []
    }
}
