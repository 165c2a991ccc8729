import ArgumentParser
import Driftless
import DriftlessMigrations

/// `driftless migrate heads`
struct HeadsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "heads",
        abstract: "Show the heads of the revision graph (more than one means branches to merge).")

    @OptionGroup var options: MigrationOptions

    func run() throws {
        let graph = try options.graph()
        if let note = options.noMigrationsNote(graph) { return Console.line(note) }
        let rows = graph.heads.compactMap(graph.migration).map { migration in
            [migration.revision.id, migration.revision.branchLabels.sorted().joined(separator: ", "), migration.revision.message]
        }
        Console.line(TextTable(header: ["head", "branch labels", "message"], rows: rows).description)
        if graph.heads.count > 1 {
            Console.line("\n\(graph.heads.count) heads: merge them with `driftless migrate merge heads -m \"merge\"`.")
        }
    }
}
