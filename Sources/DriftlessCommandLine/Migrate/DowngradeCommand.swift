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

    var target: String { targets.first ?? "" }

    func validate() throws {
        if let option = targets.first(where: { $0.hasPrefix("--") }) { throw ValidationError("unknown option \(option)") }
        guard targets.count == 1 else {
            throw ValidationError(targets.isEmpty ? "downgrade needs a target (base, a revision, -1, label@base)"
                                                  : "downgrade takes one target, not \(targets.joined(separator: " "))")
        }
    }

    @Flag(name: .long, help: "Print the SQL instead of running it; needs no database connection.")
    var sql = false

    func run() throws {
        if sql {
            return Console.write(try options.runOffline(OfflineScriptTask(kind: .downgrade(range: target)), dialectRequired: true))
        }
        try options.run(self)
    }

    func perform<Database: MigratableDatabase>(_ migrator: Migrator<Database>) throws {
        let reporter = ProgressReporter()
        let run = try migrator.downgrade(to: target, progress: reporter.report)
        reporter.finish(run, .downgrade)
    }
}
