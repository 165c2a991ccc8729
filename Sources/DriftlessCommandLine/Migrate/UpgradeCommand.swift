import ArgumentParser
import DriftlessMigrations

/// `driftless migrate upgrade [TARGET] [--sql]`
struct UpgradeCommand: ParsableCommand, MigratorTask {
    static let configuration = CommandConfiguration(
        commandName: "upgrade",
        abstract: "Apply migrations up to a target (default: every head).",
        discussion: "Each migration runs in its own transaction with its version update. With --sql, prints the script instead (TARGET is then [START:]END).")

    @OptionGroup var options: MigrationOptions

    // Collects what ArgumentParser does not recognise, so that a relative range such as
    // `-2:head` (with --sql) reads as a target.
    @Argument(parsing: .allUnrecognized, help: "heads (default), head, a revision or prefix, +N, REV+N, label@head, label@+N; with --sql, [START:]END.")
    var targets: [String] = []

    var target: String { targets.isEmpty ? "heads" : ((try? validatedTargets().first) ?? "heads") }

    private func validatedTargets() throws -> [String] {
        try TargetArguments.validated(targets, command: "upgrade", count: 1, usage: "heads, a revision, +1, label@head")
    }

    func validate() throws {
        if !targets.isEmpty { _ = try validatedTargets() }
    }

    @Flag(name: .long, help: "Print the SQL instead of running it; needs no database connection.")
    var sql = false

    func run() throws {
        if sql {
            return Console.write(try options.runOffline(OfflineScriptTask(kind: .upgrade(range: target)), dialectRequired: true))
        }
        try options.run(self)
    }

    func perform<Database: MigratableDatabase>(_ migrator: Migrator<Database>) throws {
        if target == "heads", let note = options.noMigrationsNote(migrator.graph) { return Console.line(note) }
        let reporter = ProgressReporter()
        let run = try migrator.upgrade(to: target, progress: reporter.report)
        reporter.finish(run, .upgrade)
    }
}
