import ArgumentParser
import Driftless
import DriftlessMigrations

/// The `driftless` command-line tool: `driftless migrate ...` and `driftless demo`.
///
/// The `driftless` executable runs it with SQL migrations only. An app embeds it to get
/// every command with its own Swift migrations and records:
///
/// ```swift
/// await DriftlessCommand.main(migrations: AppMigrations.all, records: [User.self])
/// ```
public struct DriftlessCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "driftless",
        abstract: "Models that keep working while the database schema and the code disagree.",
        subcommands: [MigrateCommand.self, DemoCommand.self]
    )

    public init() {}

    /// Parses the arguments (the process's when nil) and runs the command with an app's
    /// migrations and records. Returns when the command succeeds; on any error it prints one
    /// `Error:` line and exits non-zero.
    public static func main(migrations: [Migration], records: [any Record.Type] = [], arguments: [String]? = nil) async {
        let context = DriftlessCommandContext(migrations: migrations, records: records)
        await context.withValue { await runAsRoot(arguments) }
    }

    /// Parses and runs the command tree, as ArgumentParser's `main` does. (Called from a
    /// library, `await main()` resolves to the synchronous overload, which refuses async
    /// subcommands such as `demo`.)
    static func runAsRoot(_ arguments: [String]?) async {
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
