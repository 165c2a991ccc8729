import Driftless
import Logging

extension Migrator {
    /// The run loop shared by upgrade, downgrade and automatic migration: under the run-wide
    /// lock, one transaction per migration that re-reads the version table, picks the next
    /// step toward the target and runs it (``execute(_:rows:on:)``); a step that opted out of
    /// transactions runs alone under the backend's lock instead.
    func run(
        _ direction: MigrationDirection, to text: String, toleratingNewerDatabase: Bool,
        progress: (MigrationEvent) -> Void
    ) throws -> MigrationRun {
        try database.withMigrationSession(configuration) { connection in
            let live = LiveMigrationConnection(connection)
            var plan = RunPlan(graph: graph, direction: direction, target: text, toleratingNewerDatabase: toleratingNewerDatabase)
            defer { if !plan.done.isEmpty { database.invalidateSchema() } }
            while true {
                let next: RunPlan.Next = try inMigrationTransaction(on: connection) {
                    try configuration.versionTable.create(on: live)
                    let rows = try configuration.versionTable.read(on: live)
                    let next = try plan.next(from: rows)
                    guard case .step(let step) = next, step.migration.isTransactional else { return (next, nil) }
                    try perform(step, in: &plan, progress: progress) { try execute(step, rows: rows, on: connection) }
                    return (next, step.revision.id)
                }
                switch next {
                case .finished(let rows):
                    return plan.run(endingAt: rows)
                case .newer(let rows, let unknown):
                    logger.warning("the database is ahead of this program: not migrating", metadata: [
                        "unknown_revisions": "\(graph.sorted(unknown).joined(separator: ","))",
                        "version_table": "\(configuration.versionTable.name)",
                    ])
                    return plan.run(endingAt: rows, newerRevisions: unknown)
                case .step(let step) where step.migration.isTransactional:
                    plan.finish(step)
                    report(step, plan: plan, progress: progress)
                    try runAfterCommit(step, on: connection, progress: progress)
                case .step(let planned):
                    try database.withNonTransactionalLock(on: connection, configuration) {
                        // Re-check under the lock: another process may have applied it meanwhile.
                        let rows = try configuration.versionTable.read(on: live)
                        guard case .step(let step) = try plan.next(from: rows), step.revision.id == planned.revision.id
                        else { return }
                        try perform(step, in: &plan, progress: progress) { try execute(step, rows: rows, on: connection) }
                        plan.finish(step)
                        report(step, plan: plan, progress: progress)
                    }
                    try runAfterCommit(planned, on: connection, progress: progress)
                }
            }
        }
    }

    /// The one step executor: runs a step's operations, then records its version rows.
    ///
    /// A transactional step runs inside the transaction that read `rows`, so its version
    /// update commits with it. A step outside transactions runs alone (the caller holds the
    /// backend's lock), and its version update follows in a transaction of its own, against
    /// the rows as they are then.
    private func execute(_ step: MigrationStep, rows: Set<String>, on connection: Database.Connection) throws {
        let table = configuration.versionTable
        let live = LiveMigrationConnection(connection)
        try checkFleet(before: step, on: connection)
        try apply(step, on: live)
        guard !step.migration.isTransactional else {
            return try table.write(from: rows, to: step.versions(after: rows), order: graph.sorted, on: live)
        }
        try inMigrationTransaction(on: connection, verifies: false) {
            let rows = try table.read(on: live)
            let id = step.revision.id
            let after = step.direction == .upgrade
                ? graph.rows(afterApplying: id, to: rows) : graph.rows(afterReverting: id, from: rows)
            try table.write(from: rows, to: after, order: graph.sorted, on: live)
            return ((), id)
        }
    }

    /// What a step runs once it committed, outside its transaction: its backfills, then the
    /// move of overflow values into columns it added.
    func runAfterCommit(_ step: MigrationStep, on connection: Database.Connection, progress: (MigrationEvent) -> Void) throws {
        for backfill in step.backfills {
            do {
                _ = try backfill.run(on: connection) { rows, batches in
                    progress(.backfilled(step, table: backfill.table, rows: rows, batches: batches))
                }
            } catch {
                throw MigrationError.migrationFailed(revision: step.revision.id, direction: step.direction, underlying: error)
            }
        }
        try moveOverflowValues(after: step, on: connection)
    }

    /// Announces a step, times it and runs `body`.
    private func perform(_ step: MigrationStep, in plan: inout RunPlan, progress: (MigrationEvent) -> Void, _ body: () throws -> Void) throws {
        progress(.started(step, number: plan.number, count: plan.count))
        plan.started = ContinuousClock.now
        try body()
    }

    /// Reports a step that ran and committed: the progress event and one log line.
    private func report(_ step: MigrationStep, plan: RunPlan, progress: (MigrationEvent) -> Void) {
        let duration = ContinuousClock.now - plan.started
        progress(.finished(step, number: plan.done.count, count: plan.count, duration: duration))
        logger.notice("\(step.direction == .upgrade ? "applied" : "reverted") migration", metadata: [
            "revision": "\(step.revision.id)",
            "message": "\(step.revision.message)",
            "duration_ms": "\(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)",
        ])
    }

    /// Runs `body` in one migration transaction: begin (taking SQLite's write lock), body,
    /// then, if the body changed the schema, the backend's check and announcement, and commit;
    /// rollback if anything throws. `body` returns its result and the revision it applied.
    func inMigrationTransaction<T>(
        on connection: Database.Connection, verifies: Bool = true, _ body: () throws -> (T, changed: String?)
    ) throws -> T {
        try database.beginMigrationTransaction(on: connection, configuration)
        do {
            let (result, changed) = try body()
            if let changed {
                if verifies { try database.verifyMigrationTransaction(on: connection, revision: changed) }
                try database.announceSchemaChange(on: connection)
            }
            try database.endMigrationTransaction(on: connection, commit: true)
            return result
        } catch {
            try? database.endMigrationTransaction(on: connection, commit: false)
            throw error
        }
    }

    /// Runs a step's operations, naming the revision in any failure.
    func apply(_ step: MigrationStep, on connection: some MigrationConnection) throws {
        do {
            let transactional = step.migration.isTransactional
            for operation in step.operations { try operation.apply(on: connection, transactional: transactional) }
        } catch {
            throw MigrationError.migrationFailed(revision: step.revision.id, direction: step.direction,
                                                 underlying: error)
        }
    }
}

/// Where a run is: its target (resolved once, against the rows first read under the lock),
/// the steps done, and the planned path, reused while the version table is where the plan
/// expects it (so a run of n migrations plans once, not n times).
struct RunPlan {
    enum Next {
        case finished(Set<String>)
        case newer(Set<String>, unknown: Set<String>)
        case step(MigrationStep)
    }

    let graph: RevisionGraph
    let direction: MigrationDirection
    let targetText: String
    let toleratingNewerDatabase: Bool
    private var target: RevisionTarget?
    private var before: Set<String>?
    private var path: [MigrationStep] = []
    private var position = 0
    /// The rows the plan expects before `path[position]`.
    private var expected: Set<String>?
    /// The steps this run applied or reverted.
    private(set) var done: [MigrationStep] = []
    /// When the running step started.
    var started = ContinuousClock.now

    init(graph: RevisionGraph, direction: MigrationDirection, target: String, toleratingNewerDatabase: Bool) {
        self.graph = graph
        self.direction = direction
        self.targetText = target
        self.toleratingNewerDatabase = toleratingNewerDatabase
    }

    /// The running step's number, and how many steps the run has in all (others may finish
    /// some concurrently).
    var number: Int { done.count + 1 }
    var count: Int { done.count + path.count - position }

    /// What to do given the rows just read.
    mutating func next(from rows: Set<String>) throws -> Next {
        let unknown = rows.filter { !graph.contains($0) }
        if !unknown.isEmpty {
            guard toleratingNewerDatabase else { throw MigrationError.unknownRevisionsInDatabase(graph.sorted(unknown)) }
            return .newer(rows, unknown: unknown)
        }
        if before == nil { before = rows }
        if rows != expected {
            let resolved = try target ?? graph.resolve(targetText, current: rows)
            target = resolved
            path = direction == .upgrade
                ? graph.upgradePath(from: rows, to: resolved)
                : try graph.downgradePath(from: rows, to: resolved, named: targetText)
            position = 0
            expected = rows
        }
        return position < path.count ? .step(path[position]) : .finished(rows)
    }

    /// Records that the step returned by ``next(from:)`` ran.
    mutating func finish(_ step: MigrationStep) {
        done.append(step)
        if let rows = expected, position < path.count, path[position].revision.id == step.revision.id {
            expected = step.versions(after: rows)
            position += 1
        } else {
            expected = nil
        }
    }

    func run(endingAt rows: Set<String>, newerRevisions: Set<String> = []) -> MigrationRun {
        MigrationRun(steps: done, versionsBefore: graph.sorted(before ?? rows), versionsAfter: graph.sorted(rows),
                     newerRevisions: graph.sorted(newerRevisions))
    }
}
