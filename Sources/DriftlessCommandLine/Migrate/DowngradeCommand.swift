import ArgumentParser
import DriftlessMigrations

/// `driftless migrate downgrade TARGET [--sql]`
struct DowngradeCommand: ParsableCommand, MigratorTask {
    static let configuration = CommandConfiguration(
        commandName: "downgrade",
        abstract: "Revert migrations down to a target.",
        discussion: "Reverts what was applied after the target and leaves other branches alone; base reverts everything. With --sql, prints the script instead (TARGET is then START:END).")

    @OptionGroup var options: MigrationOptions

    // Collects what ArgumentParser does not recognise, so that `-1` reads as a target.
    @Argument(parsing: .allUnrecognized, help: "base, a revision or prefix, -N, REV-N, label@base; with --sql, START:END.")
    var targets: [String] = []

    var target: String { (try? validatedTargets().first) ?? "" }

    private func validatedTargets() throws -> [String] {
        try TargetArguments.validated(targets, command: "downgrade", count: 1, usage: "base, a revision, -1, label@base")
    }

    func validate() throws { _ = try validatedTargets() }

    @Flag(name: .long, help: "Print the SQL instead of running it; needs no database connection.")
    var sql = false

    func run() throws {
        if sql {
            return Console.write(try options.runOffline(OfflineScriptTask(kind: .downgrade(range: target)), dialectRequired: true))
        }
        try options.run(self, readOnly: true)
    }

    func perform<Database: MigratableDatabase>(_ migrator: Migrator<Database>) throws {
        let reporter = ProgressReporter()
        let run = try migrator.downgrade(to: target, progress: reporter.report)
        reporter.finish(run, .downgrade)
    }
}
