import Logging

/// How a database tolerates drift.
public struct DriftConfiguration: Sendable {
    /// How long a drifted plan may go without checking whether the schema caught up. Only
    /// drifted plans check, at most once per interval; full plans never do.
    public var catchUpInterval: Duration
    /// Whether a missing table is created from the record's declaration on first use (the
    /// "create_all" fallback), instead of reading as empty and failing writes.
    public var createMissingTables: Bool
    /// Where drift is reported: one warning per table and set of missing columns when first
    /// seen, one notice when it clears, a warning per dropped value.
    public var logger: Logger
    /// Whether log lines show the values involved (a dropped value), for debugging. Off by
    /// default: values may be personal data, and the table, column and row key say where to
    /// look. Error messages leave values out too; ``DriftlessError/description(revealingValues:)``
    /// shows them.
    public var logsValues: Bool
    /// Called on the thread where each statement of this database is about to run (tests
    /// check there that `async` calls left Swift's cooperative pool).
    @_spi(Testing) public var statementProbe: (@Sendable () -> Void)?
    /// Spans for record operations (see ``QueryTracing``); nil, the default, traces nothing.
    public var tracing: QueryTracing?

    public init(
        catchUpInterval: Duration = .milliseconds(500),
        createMissingTables: Bool = false,
        logger: Logger = Logger(label: "driftless"),
        logsValues: Bool = false,
        tracing: QueryTracing? = nil
    ) {
        self.tracing = tracing
        self.catchUpInterval = catchUpInterval
        self.createMissingTables = createMissingTables
        self.logger = logger
        self.logsValues = logsValues
    }
}
