import Driftless

/// How a ``SQLiteDatabase`` opens and shares its connections.
public struct SQLiteConfiguration: Sendable {
    /// Open the file read-only: every write fails with a `.readOnly` ``DatabaseError``.
    public var readOnly: Bool
    /// How long a statement waits for another connection's lock before failing with `.busy`.
    public var busyTimeout: Duration
    /// The most reading connections open at once (readers run concurrently in WAL mode).
    public var maximumReaderCount: Int
    /// How long a caller waits for a free connection.
    public var checkoutTimeout: Duration
    /// Drift tolerance: catch-up interval, missing tables, logging.
    public var drift: DriftConfiguration

    public init(
        readOnly: Bool = false,
        busyTimeout: Duration = .seconds(5),
        maximumReaderCount: Int = 4,
        checkoutTimeout: Duration = .seconds(30),
        drift: DriftConfiguration = DriftConfiguration()
    ) {
        self.readOnly = readOnly
        self.busyTimeout = busyTimeout
        self.maximumReaderCount = maximumReaderCount
        self.checkoutTimeout = checkoutTimeout
        self.drift = drift
    }
}
