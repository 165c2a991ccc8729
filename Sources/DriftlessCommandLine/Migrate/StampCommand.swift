import ArgumentParser
import DriftlessMigrations

/// `driftless migrate stamp TARGET... [--purge] [--sql]`
struct StampCommand: ParsableCommand, MigratorTask {
    static let configuration = CommandConfiguration(
        commandName: "stamp",
        abstract: "Set the version table to targets without running any migration.",
        discussion: "For a database whose schema was made another way. --purge empties the version table first (also discarding revisions this program does not know). With --sql, a single [START:]TARGET prints the script.")

    @OptionGroup var options: MigrationOptions

    @Argument(help: "heads, base, revisions, label@head, ...")
    var targets: [String]

    @Flag(name: .long, help: "Empty the version table first.")
    var purge = false

    @Flag(name: .long, help: "Print the SQL instead of running it; needs no database connection.")
    var sql = false

    func validate() throws {
        if targets.isEmpty { throw ValidationError("stamp needs at least one target (heads, base, a revision)") }
    }

    func run() throws {
        if sql {
            var targets = targets
            var start: String?
            if targets.count == 1, let colon = targets[0].firstIndex(of: ":") {
                start = String(targets[0][..<colon])
                targets = [String(targets[0][targets[0].index(after: colon)...])]
            }
            return Console.write(try options.runOffline(OfflineScriptTask(kind: .stamp(targets: targets, from: start, purge: purge)), dialectRequired: true))
        }
        try options.run(self)
    }

    func perform<Database: MigratableDatabase>(_ migrator: Migrator<Database>) throws {
        let run = try migrator.stamp(targets, purge: purge)
        Console.line("Stamped: \(Console.describe(run.versionsBefore)) -> \(Console.describe(run.versionsAfter))")
    }
}
