import ArgumentParser
import DriftlessMigrations

/// `driftless migrate branches`
struct BranchesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "branches",
        abstract: "Show the branch points of the revision graph and the revisions that follow each.")

    @OptionGroup var options: MigrationOptions

    func run() throws {
        let graph = try options.graph()
        guard !graph.branchPoints.isEmpty else { return Console.line("No branch points.") }
        for id in graph.branchPoints {
            guard let migration = graph.migration(id) else { continue }
            Console.line("\(id) (branchpoint)  \(migration.revision.message)")
            for child in graph.children(of: id) {
                Console.line("  -> \(child)  \(graph.migration(child)?.revision.message ?? "")")
            }
        }
    }
}
