import ArgumentParser
import Driftless
import DriftlessMigrations

/// `driftless migrate history`
struct HistoryCommand: ParsableCommand, MigratorTask {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List the revisions, newest first, with the database's current ones marked.",
        discussion: "Without a database, lists the graph alone.")

    @OptionGroup var options: MigrationOptions

    @Flag(name: .shortAndLong, help: "Also show branch labels, dependencies and where each migration comes from.")
    var verbose = false

    func run() throws {
        if try options.location() == nil {
            return print(try options.graph().history(current: []), database: false)
        }
        try options.run(self)
    }

    func perform<Database: MigratableDatabase>(_ migrator: Migrator<Database>) throws {
        if let note = options.noMigrationsNote(migrator.graph) { return Console.line(note) }
        print(try migrator.history(), database: true)
    }

    private func print(_ history: [HistoryEntry], database: Bool) {
        var header = ["", "revision", "parents", "marks", "message"]
        if verbose { header += ["labels", "depends on", "source"] }
        let rows = history.map { entry in
            var row = [entry.isCurrent ? "@" : (database && entry.isApplied ? "*" : ""),
                       entry.revision.id,
                       entry.revision.parents.isEmpty ? "<base>" : entry.revision.parents.joined(separator: ", "),
                       entry.markers,
                       entry.revision.message]
            if verbose {
                row += [entry.revision.branchLabels.sorted().joined(separator: ", "),
                        entry.revision.dependsOn.joined(separator: ", "), entry.source]
            }
            return row
        }
        guard !rows.isEmpty else { return Console.line("No migrations: none registered in Swift and no .sql files in \(options.directoryPath)/.") }
        Console.line(TextTable(header: header, rows: rows).description)
        if database { Console.line("\n@ current (in the version table)   * applied") }
    }
}
