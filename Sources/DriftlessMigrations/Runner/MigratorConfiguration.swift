import Logging

/// How a ``Migrator`` records versions, waits for other processes and reports.
public struct MigratorConfiguration: Sendable {
    /// Where applied revisions are recorded.
    public var versionTable: VersionTable
    /// How long to wait for another process that is migrating the same database (the
    /// PostgreSQL advisory lock, or SQLite's write lock) before
    /// ``MigrationError/lockTimeout(seconds:holder:)``.
    public var lockTimeout: Duration
    /// Where migrations are reported: one notice per applied migration, a warning when the
    /// database is ahead of this program.
    public var logger: Logger
    /// Whether an upgrade fails (``MigrationError/Code/checksumMismatch``) when an applied
    /// migration changed since it was applied. On by default; `repairChecksums` accepts a
    /// reviewed change.
    public var validatesChecksums: Bool
    /// Whether a migration that drops or renames a table or column refuses to run while
    /// live processes registered in the fleet table still use it (``MigrationError/Code/contractInUse``).
    /// Set it to false to force the step (`--force`).
    public var checksFleet: Bool
    /// The overflow column whose values move into columns a migration adds, right after the
    /// migration commits; nil not to move them.
    public var overflowColumn: String?
    /// Rows per transaction when moving overflow values.
    public var overflowBatchSize: Int

    public init(
        versionTable: VersionTable = VersionTable(),
        lockTimeout: Duration = .seconds(120),
        logger: Logger = Logger(label: "driftless.migrations"),
        validatesChecksums: Bool = true,
        checksFleet: Bool = true,
        overflowColumn: String? = "driftless_overflow",
        overflowBatchSize: Int = 1000
    ) {
        self.versionTable = versionTable
        self.lockTimeout = lockTimeout
        self.logger = logger
        self.validatesChecksums = validatesChecksums
        self.checksFleet = checksFleet
        self.overflowColumn = overflowColumn
        self.overflowBatchSize = max(1, overflowBatchSize)
    }

    /// The PostgreSQL advisory lock key: a stable hash (FNV-1a) of the version table's name,
    /// so that migrators of the same table exclude each other and others do not.
    public var advisoryLockKey: Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "driftless:\(versionTable.name)".utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return Int64(bitPattern: hash)
    }

    /// The lock timeout as a deadline from now, for a backend's lock loop.
    public var lockDeadline: ContinuousClock.Instant { .now + lockTimeout }

    /// The lock timeout in seconds, for ``MigrationError/Code/lockTimeout``.
    public var lockTimeoutSeconds: Double {
        let (seconds, attoseconds) = lockTimeout.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
