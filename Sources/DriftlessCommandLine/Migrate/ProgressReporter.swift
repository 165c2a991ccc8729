import Dispatch
import DriftlessMigrations
import Synchronization

/// Prints a migration run as it goes: a line per migration with its duration, and, while one
/// runs for long, a reminder every few seconds that it is still running.
final class ProgressReporter {
    /// The migration running now, shared with the reminder timer's queue.
    private final class Running: Sendable {
        struct State {
            var revision: String
            var started: ContinuousClock.Instant
            var lastReminder: ContinuousClock.Instant
        }

        let state = Mutex<State?>(nil)

        /// The reminder line, if one is due.
        func reminder(every interval: Duration) -> String? {
            let now = ContinuousClock.now
            return state.withLock { current in
                guard var state = current, now - state.lastReminder >= interval else { return nil }
                state.lastReminder = now
                current = state
                return "      ... \(state.revision) still running (\(Console.format(now - state.started)))"
            }
        }
    }

    private let running = Running()
    private let timer: DispatchSourceTimer

    init(reminderInterval: Duration = .seconds(5)) {
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "driftless.progress"))
        timer.schedule(deadline: .now() + .seconds(1), repeating: .seconds(1))
        timer.setEventHandler { [running] in
            if let line = running.reminder(every: reminderInterval) { Console.line(line) }
        }
        timer.resume()
    }

    deinit {
        timer.cancel()
    }

    func report(_ event: MigrationEvent) {
        switch event {
        case .started(let step, let number, let count):
            let now = ContinuousClock.now
            running.state.withLock { $0 = Running.State(revision: step.revision.id, started: now, lastReminder: now) }
            Console.line("[\(number)/\(count)] Running \(step.summary)"
                         + (step.migration.isTransactional ? "" : " (outside a transaction)"))
        case .finished(let step, _, _, let duration):
            running.state.withLock { $0 = nil }
            Console.line("      done \(step.revision.id) in \(Console.format(duration))")
        case .backfilled(let step, let table, let rows, let batches):
            Console.line("      backfill \(step.revision.id) \(table): \(rows) row(s) in \(batches) batch(es)")
        }
    }

    /// The closing line of an upgrade or downgrade: how many migrations ran and where the
    /// database is now.
    func finish(_ run: MigrationRun, _ direction: MigrationDirection) {
        let at = "the database is at \(Console.describe(run.versionsAfter))."
        if run.steps.isEmpty {
            Console.line("Nothing to \(direction): \(at)")
        } else {
            Console.line("\(direction == .upgrade ? "Upgraded" : "Reverted") \(run.steps.count) migration(s); \(at)")
        }
    }
}
