import ArgumentParser
import Driftless
import DriftlessMigrations

/// `driftless migrate current`
struct CurrentCommand: ParsableCommand, MigratorTask {
    static let configuration = CommandConfiguration(
        commandName: "current",
        abstract: "Show the revisions the database is at (one per applied head).")

    @OptionGroup var options: MigrationOptions

    @Flag(name: .shortAndLong, help: "Show each revision's message, parents and source.")
    var verbose = false

    func run() throws {
        try options.run(self, readOnly: true)
    }

    func perform<Database: MigratableDatabase>(_ migrator: Migrator<Database>) throws {
        let rows = try migrator.currentRevisions()
        guard !rows.isEmpty else { return Console.line("base (nothing applied)") }
        let graph = migrator.graph
        let heads = Set(graph.heads)
        for id in rows {
            guard let migration = graph.migration(id) else {
                Console.line("\(id) (unknown to this program: the database was migrated by a newer release)")
                continue
            }
            Console.line("\(id)\(heads.contains(id) ? " (head)" : "")  \(migration.revision.message)")
            if verbose {
                Console.line("    parents: \(migration.revision.parents.isEmpty ? "<base>" : migration.revision.parents.joined(separator: ", "))")
                Console.line("    source:  \(migration.source)")
            }
        }
    }
}
