import ArgumentParser
import DriftlessMigrations

/// `driftless migrate check`: for CI.
struct CheckCommand: ParsableCommand, MigratorTask {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Fail (exit 1) on several heads, pending migrations, changed applied migrations or drift between records and schema.",
        discussion: "Drift is checked only where the records are known: run check from an app that embeds DriftlessCommand with its records (DriftlessCommand.main(migrations:records:)). The plain driftless tool checks heads, pending migrations and checksums, and says that drift was not checked.")

    @OptionGroup var options: MigrationOptions

    @Flag(name: .long, help: "Also list the fleet, and fail on pending drops or renames live processes still need.")
    var fleet = false

    func run() throws {
        try options.run(self, readOnly: true)
    }

    func perform<Database: MigratableDatabase>(_ migrator: Migrator<Database>) throws {
        if fleet {
            let fleetReport = try migrator.fleetReport()
            FleetCommand.print(fleetReport)
            if !fleetReport.blockedSteps.isEmpty { throw ExitCode(1) }
        }
        let report = try migrator.check(records: options.context.records)
        for note in report.notes { Console.line("note: \(note)") }
        guard report.isClean else {
            for problem in report.problems { Console.line("FAIL \(problem)") }
            throw ExitCode(1)
        }
        let records = report.checkedDrift
            ? "; \(options.context.records.count) record type(s) match the schema"
            : "; drift NOT checked: no records were given (run `migrate check` from the app that embeds DriftlessCommand "
                + "with its records to compare them with the schema)"
        Console.line("OK: one head (\(Console.describe(report.heads))), the database is at it, applied migrations unchanged\(records).")
    }
}
