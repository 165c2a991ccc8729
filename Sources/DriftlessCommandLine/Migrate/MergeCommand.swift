import ArgumentParser
import DriftlessMigrations

/// `driftless migrate merge REVISION... -m MESSAGE`
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Write a merge revision whose parents are the given revisions (heads: every head).")

    @OptionGroup var options: MigrationOptions

    @Argument(help: "The revisions to merge, or heads.")
    var revisions: [String]

    @Option(name: .shortAndLong, help: "The merge revision's message.")
    var message = "merge"

    func validate() throws {
        if revisions.isEmpty { throw ValidationError("merge needs the revisions to merge (or heads)") }
    }

    func run() throws {
        let graph = try options.graph()
        let file = try MigrationDirectory.mergeRevision(in: graph, of: revisions, message: message)
        let path = try MigrationDirectory(path: options.directoryPath).write(file)
        Console.line("Generated \(path) (merges \(file.revision.parents.joined(separator: ", ")))")
    }
}
