import ArgumentParser
import DriftlessMigrations

/// `driftless migrate stamp TARGET... [--purge] [--sql]`
struct StampCommand: ParsableCommand, MigratorTask {
    static let configuration = CommandConfiguration(
        commandName: "stamp",
        abstract: "Set the version table to targets without running any migration.",
        discussion: "For a database whose schema was made another way. Each target replaces the rows on its own line of history and leaves other branches alone, as in Alembic: stamping one parent of a merge the database is at leaves that parent alone recorded. base empties the table. --purge empties the version table first (also discarding revisions this program does not know). The checksums of the revisions marked applied are recorded. With --sql, a single [START:]TARGET prints the script.")

    @OptionGroup var options: MigrationOptions

    // Collects what ArgumentParser does not recognise, so that `-1` reads as a target.
    @Argument(parsing: .allUnrecognized, help: "heads, base, revisions, -N, label@head, ...")
    var arguments: [String] = []

    var targets: [String] { (try? validatedTargets()) ?? [] }

    private func validatedTargets() throws -> [String] {
        try TargetArguments.validated(arguments, command: "stamp", count: nil, usage: "heads, base, a revision")
    }

    @Flag(name: .long, help: "Empty the version table first.")
    var purge = false

    @Flag(name: .long, help: "Print the SQL instead of running it; needs no database connection.")
    var sql = false

    func validate() throws { _ = try validatedTargets() }

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
