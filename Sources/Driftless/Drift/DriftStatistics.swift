import Synchronization

/// Counters of what a database's repositories did, for tests and diagnostics: they show
/// that a drifted plan, once cached, makes no failing attempt and prepares nothing.
public final class DriftStatistics: Sendable {
    private let prepared = Atomic<Int>(0)
    private let driftErrors = Atomic<Int>(0)
    private let reflections = Atomic<Int>(0)
    private let catchUpChecks = Atomic<Int>(0)

    public init() {}

    /// Statements prepared for plans and raw SQL.
    public var statementsPrepared: Int { prepared.load(ordering: .relaxed) }
    /// Statements that failed because the schema differed (each one a failing attempt).
    public var driftErrorsRecovered: Int { driftErrors.load(ordering: .relaxed) }
    /// Tables reflected from the live database.
    public var tablesReflected: Int { reflections.load(ordering: .relaxed) }
    /// Fingerprint reads by drifted plans checking for catch-up.
    public var catchUpChecksRun: Int { catchUpChecks.load(ordering: .relaxed) }

    func notePrepared() { prepared.add(1, ordering: .relaxed) }
    func noteDriftError() { driftErrors.add(1, ordering: .relaxed) }
    func noteReflection() { reflections.add(1, ordering: .relaxed) }
    func noteCatchUpCheck() { catchUpChecks.add(1, ordering: .relaxed) }
}
