import Driftless

/// What the startup call did.
public struct StartupReport: Sendable {
    /// The migration outcome; nil when migrating failed.
    public var migration: AutoMigrationResult?
    /// Why migrating failed, when the fallback ran instead.
    public var migrationError: (any Error)?
    /// Tables created from record declarations by the fallback.
    public var createdTables: [TableName] = []
    /// How the records compare with the schema after startup.
    public var drift: DriftReport?

    public init() {}
}
