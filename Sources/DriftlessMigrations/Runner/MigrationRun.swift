/// What one upgrade, downgrade or stamp did.
public struct MigrationRun: Sendable {
    /// The migrations this call applied or reverted, in order (not those another process
    /// applied meanwhile).
    public var steps: [MigrationStep]
    /// The version-table rows when the run took the lock.
    public var versionsBefore: [String]
    /// The version-table rows when it finished.
    public var versionsAfter: [String]
    /// Revisions in the version table that this program does not know, when the run stopped
    /// because the database is ahead of it (automatic migration only).
    public var newerRevisions: [String]

    public init(steps: [MigrationStep], versionsBefore: [String], versionsAfter: [String], newerRevisions: [String] = []) {
        self.steps = steps
        self.versionsBefore = versionsBefore
        self.versionsAfter = versionsAfter
        self.newerRevisions = newerRevisions
    }
}
