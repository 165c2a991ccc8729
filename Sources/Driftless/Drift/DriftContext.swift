import Dispatch
import Synchronization

/// The drift state one database shares across its connections: the schema map, the plan
/// cache, the monitor and the configuration. A backend creates one per database.
public final class DriftContext: Sendable {
    public let configuration: DriftConfiguration
    public let dialect: any SQLDialect
    public let schemaMap = SchemaMap()
    public let statistics = DriftStatistics()
    let plans = PlanCache()
    let monitor: DriftMonitor
    /// When drifted plans next check for catch-up, in `DispatchTime` nanoseconds.
    private let nextCatchUpCheck = Atomic<UInt64>(0)

    public init(dialect: any SQLDialect, configuration: DriftConfiguration) {
        self.dialect = dialect
        self.configuration = configuration
        monitor = DriftMonitor(logger: configuration.logger, logsValues: configuration.logsValues)
    }

    /// Runs the test probe, if any, where a connection is about to run statements.
    @usableFromInline
    func noteConnectionUse() {
        configuration.statementProbe?()
    }

    /// Forgets what was reflected, so every plan runs optimistically again. Call it after
    /// changing the schema yourself; Driftless also notices on its own within
    /// ``DriftConfiguration/catchUpInterval``.
    public func invalidateSchema() {
        schemaMap.invalidateAll()
    }

    /// The current plan of a kind for a record type.
    func plan<R: Record>(_ kind: PlanKind, for record: R.Type) throws -> Plan {
        if let problem = R.schema.problem(for: dialect) {
            throw DriftlessError.invalidRecord(record: "\(R.self)", problem: problem)
        }
        let generation = schemaMap.generation
        let table = R.schema.table
        return try plans.plan(for: PlanKey(record: ObjectIdentifier(R.self), kind: kind), generation: generation) {
            let state = schemaMap.state(of: table)
            let plan = try Planner<R>(tableState: state, dialect: dialect).plan(kind, generation: generation)
            // An optimistic plan over an unreflected table says nothing about drift.
            if state != .unknown { monitor.observe(plan, recordName: "\(R.self)") }
            return plan
        }
    }

    /// Reflects a table on `connection` and records it. Creates the table first when it is
    /// missing and ``DriftConfiguration/createMissingTables`` is on. Returns whether what is
    /// known of the table changed.
    @discardableResult
    func reflect<R: Record>(_ record: R.Type, on connection: some DriverConnection) throws -> Bool {
        let table = R.schema.table
        let fingerprint = try connection.schemaFingerprint(of: [table])
        statistics.noteReflection()
        var reflected = try connection.reflectTable(table)
        // A renamed table is used under the previous name it still has.
        for previous in R.schema.previousTableNames where reflected == nil {
            reflected = try connection.reflectTable(previous)
        }
        if reflected == nil && configuration.createMissingTables {
            try connection.execute(TableCreator<R>(dialect: dialect).createTableSQL)
            configuration.logger.notice("created missing table from its record declaration",
                                        metadata: ["table": "\(table)", "record": "\(R.self)"])
            reflected = try connection.reflectTable(table)
        }
        return schemaMap.record(reflected.map(TableState.present) ?? .missing, for: table,
                                fingerprint: fingerprint)
    }

    /// Called by drifted plans only: at most once per catch-up interval, compares the schema
    /// fingerprint with the one seen at reflection and re-reflects tables that changed.
    /// Returns whether anything changed (the caller then recompiles its plan).
    @usableFromInline
    func catchUpIfDue(on connection: some DriverConnection) throws -> Bool {
        let now = DispatchTime.now().uptimeNanoseconds
        let due = nextCatchUpCheck.load(ordering: .relaxed)
        guard now >= due else { return false }
        return try catchUp(on: connection, now: now, due: due)
    }

    private func catchUp(on connection: some DriverConnection, now: UInt64, due: UInt64) throws -> Bool {
        let interval = configuration.catchUpInterval.components
        let nanoseconds = UInt64(interval.seconds) * 1_000_000_000 + UInt64(interval.attoseconds / 1_000_000_000)
        guard nextCatchUpCheck.compareExchange(expected: due, desired: now + nanoseconds, ordering: .relaxed).exchanged
        else { return false }
        statistics.noteCatchUpCheck()
        let changedTables = try schemaMap.reflectedTables { table in
            try connection.schemaFingerprint(of: [table])
        }
        var changed = false
        for table in changedTables {
            let fingerprint = try connection.schemaFingerprint(of: [table])
            statistics.noteReflection()
            let reflected = try connection.reflectTable(table)
            changed = schemaMap.record(reflected.map(TableState.present) ?? .missing, for: table,
                                       fingerprint: fingerprint) || changed
        }
        return changed
    }
}
