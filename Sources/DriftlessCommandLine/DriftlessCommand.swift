import ArgumentParser

/// The `driftless` command-line tool.
public struct DriftlessCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "driftless",
        abstract: "Models that keep working while the database schema and the code disagree.",
        subcommands: [DemoCommand.self]
    )

    public init() {}
}
