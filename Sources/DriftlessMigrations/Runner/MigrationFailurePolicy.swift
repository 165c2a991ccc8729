/// What ``Migrator/prepareDatabase(records:onMigrationFailure:)`` does when migrating fails.
public enum MigrationFailurePolicy: Sendable, Hashable {
    /// Startup fails with the migration's error.
    case fail
    /// Log the error, create the tables that do not exist from the record declarations, and
    /// go on with runtime tolerance.
    case createMissingTables
}
