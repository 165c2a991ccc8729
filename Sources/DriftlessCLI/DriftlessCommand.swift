import ArgumentParser

/// The `driftless` command-line tool.
@main
struct DriftlessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "driftless",
        abstract: "Models that keep working while the database schema and the code disagree.",
        subcommands: [DemoCommand.self]
    )
}
