import ArgumentParser
import Driftless
import DriftlessMigrations

/// `driftless migrate revision -m MESSAGE [--autogenerate]`
struct RevisionCommand: ParsableCommand, MigratorTask {
    static let configuration = CommandConfiguration(
        commandName: "revision",
        abstract: "Write a new SQL migration file with a random id, following the current head.",
        discussion: "The file records its creation date. --autogenerate compares the app's records with the database and writes the SQL that makes the schema what they declare (missing tables, columns and indexes; type, nullability, default and index changes), with its downgrade, and prints what the lint says about it, for review. It refuses while the database is not at every head (upgrade first), as Alembic does.")

    @OptionGroup var options: MigrationOptions

    @Option(name: .shortAndLong, help: "What the migration does.")
    var message: String

    @Option(name: .long, help: "The revision to follow: head (default), heads (merge them), base (a new root), or a revision (one that is not a head needs --splice).")
    var head = "head"

    @Flag(name: .long, help: "Allow --head to name a revision that is not a head, starting a new branch (as Alembic's --splice).")
    var splice = false

    @Option(name: .long, help: ArgumentHelp("The new revision's id instead of a random one (as Alembic's --rev-id).", valueName: "id"))
    var revID: String?

    @Option(name: .long, help: "A branch label for the new revision (repeatable).")
    var branchLabel: [String] = []

    @Option(name: .long, help: "A revision this one depends on without following it (repeatable).")
    var dependsOn: [String] = []

    @Flag(name: .long, help: "Run the migration outside a transaction (CREATE INDEX CONCURRENTLY).")
    var nonTransactional = false

    @Flag(name: .long, help: "Fill the migration from the difference between the records and the database.")
    var autogenerate = false

    func run() throws {
        if autogenerate {
            guard !options.context.records.isEmpty else {
                throw CommandLineError("--autogenerate compares the app's records with the database: run it from an app that embeds DriftlessCommand with its records")
            }
            return try options.run(self, creatingDirectory: true, readOnly: true)
        }
        try write(upgradeSQL: "", downgradeSQL: "", graph: options.graph(creatingDirectory: true))
    }

    func perform<Database: MigratableDatabase>(_ migrator: Migrator<Database>) throws {
        let draft = try migrator.autogenerate(records: options.context.records)
        guard !draft.isEmpty else {
            return Console.line("The records match the database: no revision written.")
        }
        for finding in draft.findings { Console.line("Detected \(finding)") }
        try write(upgradeSQL: draft.upgradeSQL, downgradeSQL: draft.downgradeSQL, graph: migrator.graph)
        for finding in draft.lintFindings {
            Console.line("Review [\(finding.rule.rawValue)] \(finding.message)")
            Console.line("    Instead: \(finding.safeAlternative)")
        }
    }

    private func write(upgradeSQL: String, downgradeSQL: String, graph: RevisionGraph) throws {
        let file = try MigrationDirectory.newRevision(
            in: graph, message: message, head: graph.migrations.isEmpty ? "base" : head, splice: splice, revisionID: revID,
            branchLabels: Set(branchLabel), dependsOn: dependsOn, transactional: !nonTransactional,
            upgradeSQL: upgradeSQL, downgradeSQL: downgradeSQL)
        let path = try MigrationDirectory(path: options.directoryPath).write(file)
        Console.line("Generated \(path)"
                     + (file.revision.parents.isEmpty ? "" : " (follows \(file.revision.parents.joined(separator: ", ")))"))
    }
}
