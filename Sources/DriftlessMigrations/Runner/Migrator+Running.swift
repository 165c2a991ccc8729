import Driftless
import Logging

extension Migrator {
    /// What the transaction that reads the version table decided.
    private enum Decision {
        case finished(Set<String>)
        case newer(Set<String>, unknown: Set<String>)
        case applied(MigrationStep, number: Int, count: Int, started: ContinuousClock.Instant)
        case outsideTransaction(MigrationStep)
    }

    /// The run loop shared by upgrade, downgrade and automatic migration: under the run-wide
    /// lock, one transaction per migration that re-reads the version table, picks the next
    /// step toward the target, applies it and updates the version rows.
    func run(
        _ direction: MigrationDirection, to text: String, toleratingNewerDatabase: Bool,
        progress: (MigrationEvent) -> Void
    ) throws -> MigrationRun {
        let table = configuration.versionTable
        let graph = graph
        let order: (Set<String>) -> [String] = { graph.sorted($0) }
        return try database.withMigrationSession(configuration) { connection in
            let live = LiveMigrationConnection(connection)
            var target: RevisionTarget?
            var before: Set<String>?
            var done: [MigrationStep] = []
            defer { if !done.isEmpty { database.invalidateSchema() } }

            // The target is resolved once, against the rows first read under the lock.
            func path(from rows: Set<String>) throws -> [MigrationStep] {
                let resolved = try target ?? graph.resolve(text, current: rows)
                target = resolved
                return direction == .upgrade
                    ? graph.upgradePath(from: rows, to: resolved)
                    : try graph.downgradePath(from: rows, to: resolved, named: text)
            }

            while true {
                let decision: Decision = try inMigrationTransaction(on: connection) {
                    try table.create(on: live)
                    let rows = try table.read(on: live)
                    let unknown = rows.filter { !graph.contains($0) }
                    if !unknown.isEmpty {
                        guard toleratingNewerDatabase else {
                            throw MigrationError.unknownRevisionsInDatabase(graph.sorted(unknown))
                        }
                        return (.newer(rows, unknown: unknown), nil)
                    }
                    if before == nil { before = rows }
                    let steps = try path(from: rows)
                    guard let step = steps.first else { return (.finished(rows), nil) }
                    guard step.migration.isTransactional else { return (.outsideTransaction(step), nil) }
                    let number = done.count + 1
                    let count = done.count + steps.count
                    progress(.started(step, number: number, count: count))
                    let started = ContinuousClock.now
                    try apply(step, on: live)
                    try table.write(from: rows, to: Set(step.versionsAfter), order: order, on: live)
                    return (.applied(step, number: number, count: count, started: started), step.revision.id)
                }
                switch decision {
                case .finished(let rows):
                    return MigrationRun(steps: done, versionsBefore: order(before ?? rows), versionsAfter: order(rows))
                case .newer(let rows, let unknown):
                    logger.warning("the database is ahead of this program: not migrating", metadata: [
                        "unknown_revisions": "\(order(unknown).joined(separator: ","))",
                        "version_table": "\(table.name)",
                    ])
                    return MigrationRun(steps: done, versionsBefore: order(before ?? rows), versionsAfter: order(rows),
                                        newerRevisions: order(unknown))
                case .applied(let step, let number, let count, let started):
                    let duration = ContinuousClock.now - started
                    progress(.finished(step, number: number, count: count, duration: duration))
                    log(step, duration: duration)
                    done.append(step)
                case .outsideTransaction(let planned):
                    let applied = try database.withNonTransactionalLock(on: connection, configuration) { () throws -> MigrationStep? in
                        // Re-check under the lock: another process may have applied it meanwhile.
                        let rows = try table.read(on: live)
                        guard rows.allSatisfy(graph.contains), let step = try path(from: rows).first,
                              step.revision.id == planned.revision.id
                        else { return nil }
                        let number = done.count + 1
                        let count = done.count + (try path(from: rows).count)
                        progress(.started(step, number: number, count: count))
                        let started = ContinuousClock.now
                        try apply(step, on: live)
                        try inMigrationTransaction(on: connection, verifies: false) {
                            let rows = try table.read(on: live)
                            let id = step.revision.id
                            let after = direction == .upgrade
                                ? graph.rows(afterApplying: id, to: rows) : graph.rows(afterReverting: id, from: rows)
                            try table.write(from: rows, to: after, order: order, on: live)
                            return ((), id)
                        }
                        let duration = ContinuousClock.now - started
                        progress(.finished(step, number: number, count: count, duration: duration))
                        log(step, duration: duration)
                        return step
                    }
                    if let applied { done.append(applied) }
                }
            }
        }
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

    private func log(_ step: MigrationStep, duration: Duration) {
        logger.notice("\(step.direction == .upgrade ? "applied" : "reverted") migration", metadata: [
            "revision": "\(step.revision.id)",
            "message": "\(step.revision.message)",
            "duration_ms": "\(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)",
        ])
    }
}
