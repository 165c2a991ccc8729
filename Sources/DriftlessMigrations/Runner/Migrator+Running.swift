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
                    if direction == .upgrade, !plan.checksumsVerified, !next.isNewer {
                        // Before anything runs: an applied migration that changed since fails
                        // the run, and one applied before checksums existed gets its checksum.
                        try verifyChecksums(applied: graph.ancestors(of: rows), on: live)
                        plan.checksumsVerified = true
                    }
                    guard case .step(let step) = next, step.migration.isTransactional else { return (next, nil) }
                    try perform(step, in: &plan, progress: progress) { try execute(step, rows: rows, on: connection) }
                    return (next, step.revision.id)
                }
                switch next {
                case .finished(let rows):
                    if direction == .upgrade, graph.upgradePath(from: rows, to: .revisions(Set(graph.heads))).isEmpty {
                        try runRepeatables(on: connection, plan: &plan, progress: progress)
                    }
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
            try table.write(from: rows, to: step.versions(after: rows), order: graph.sorted, on: live)
            return try recordChecksum(of: step, on: live)
        }
        try inMigrationTransaction(on: connection, verifies: false) {
            let rows = try table.read(on: live)
            let id = step.revision.id
            let after = step.direction == .upgrade
                ? graph.rows(afterApplying: id, to: rows) : graph.rows(afterReverting: id, from: rows)
            try table.write(from: rows, to: after, order: graph.sorted, on: live)
            try recordChecksum(of: step, on: live)
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

    /// Records the checksum of a migration applied, or forgets that of one reverted.
    private func recordChecksum(of step: MigrationStep, on live: some MigrationConnection) throws {
        let table = configuration.versionTable
        let id = step.revision.id
        switch (step.direction, step.migration.isRepeatable) {
        case (.upgrade, true): try table.recordChecksum(.repeatable, name: id, checksum: checksum(of: step.migration), on: live)
        case (.upgrade, false): try table.recordChecksum(.revision, name: id, checksum: checksum(of: step.migration), on: live)
        case (.downgrade, _): try table.deleteChecksum(.revision, name: id, on: live)
        }
    }

    /// Runs the repeatable migrations whose checksum is not the recorded one, in order, each
    /// in a transaction of its own that re-reads the recorded checksum (another process may
    /// have run it meanwhile), runs it and records its checksum; one that opted out of
    /// transactions runs under the backend's lock, its checksum recorded after it.
    private func runRepeatables(on connection: Database.Connection, plan: inout RunPlan, progress: (MigrationEvent) -> Void) throws {
        let table = configuration.versionTable
        let live = LiveMigrationConnection(connection)
        let recorded = try table.checksums(.repeatable, on: live)
        let changed = graph.repeatableMigrations.filter { recorded[$0.revision.id] != checksum(of: $0) }
        plan.extraSteps = changed.count
        for migration in changed {
            let step = MigrationStep(migration: migration, direction: .upgrade, removedVersions: [], addedVersions: [])
            let name = migration.revision.id
            let current = checksum(of: migration)
            func isChanged() throws -> Bool { try table.checksums(.repeatable, on: live)[name] != current }
            if migration.isTransactional {
                let ran: Bool = try inMigrationTransaction(on: connection) {
                    guard try isChanged() else { return (false, nil) }
                    try perform(step, in: &plan, progress: progress) {
                        try apply(step, on: live)
                        try table.recordChecksum(.repeatable, name: name, checksum: current, on: live)
                    }
                    return (true, name)
                }
                plan.extraSteps -= 1
                if ran {
                    plan.finish(step)
                    report(step, plan: plan, progress: progress)
                }
            } else {
                try database.withNonTransactionalLock(on: connection, configuration) {
                    guard try isChanged() else {
                        plan.extraSteps -= 1
                        return
                    }
                    try perform(step, in: &plan, progress: progress) { try apply(step, on: live) }
                    try inMigrationTransaction(on: connection, verifies: false) {
                        try table.recordChecksum(.repeatable, name: name, checksum: current, on: live)
                        return ((), name)
                    }
                    plan.extraSteps -= 1
                    plan.finish(step)
                    report(step, plan: plan, progress: progress)
                }
            }
        }
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

    /// Runs a step's operations, naming the revision in any failure, and where it failed:
    /// a script (a SQL file's section) runs one statement at a time, so that the error names
    /// the statement and its line in the file, as Alembic's `[SQL: ...]` does; any other
    /// operation is named by its place and summary.
    func apply(_ step: MigrationStep, on connection: some MigrationConnection) throws {
        let transactional = step.migration.isTransactional
        let operations = step.operations
        let tokenizer = SQLTokenizer(syntax: connection.dialect.syntax)
        for (index, operation) in operations.enumerated() {
            guard case .script(let script) = operation else {
                do {
                    try operation.apply(on: connection, transactional: transactional)
                } catch {
                    let sql: String? = if case .execute(let sql, _) = operation { sql } else { nil }
                    throw step.failure(error, operation: index, statement: sql, line: nil)
                }
                continue
            }
            for (statement, line) in tokenizer.statementTextsWithLines(script) {
                do {
                    try SchemaOperation.script(statement).apply(on: connection, transactional: transactional)
                } catch {
                    throw step.failure(error, operation: index, statement: statement, line: line)
                }
            }
        }
    }
}

extension MigrationStep {
    /// ``MigrationError/Code/migrationFailed`` for the operation at `index`: at its line in
    /// the SQL file when the migration is one (a file's section is its only operation), else
    /// naming the operation.
    func failure(_ error: any Error, operation index: Int, statement: String?, line: Int?) -> MigrationError {
        let operations = operations
        let fileLine = migration.sectionLines[direction].flatMap { start in line.map { start + $0 - 1 } }
        let isFile = fileLine != nil && operations.count == 1
        let summary = index < operations.count ? operations[index].description : "?"
        return MigrationError.migrationFailed(
            revision: revision.id, direction: direction, underlying: error,
            path: isFile ? migration.source : nil, line: isFile ? fileLine : nil, statement: statement,
            operation: isFile ? nil : "operation \(index + 1) of \(operations.count) (\(summary))"
                + (line.map { " at line \($0) of its SQL" } ?? ""))
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

        var isNewer: Bool {
            if case .newer = self { return true }
            return false
        }
    }

    let graph: RevisionGraph
    let direction: MigrationDirection
    let targetText: String
    let toleratingNewerDatabase: Bool
    /// Whether the applied migrations' checksums were checked in this run.
    var checksumsVerified = false
    /// Steps counted beyond the path: the repeatable migrations still to run.
    var extraSteps = 0
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
    var count: Int { done.count + path.count - position + extraSteps }

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
