import ArgumentParser
import Driftless
import DriftlessMigrations
import Foundation

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
    ///
    /// Every error is one `Error: ...` line on standard error. A mistake in the command line
    /// (an unknown option, a missing or invalid argument) exits with status 64 (`EX_USAGE`)
    /// and adds one line pointing at the command's `--help`, rather than ArgumentParser's
    /// whole usage text; an error while running the command exits with status 1.
    static func runAsRoot(_ arguments: [String]?) async {
        var command: ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            exitForArguments(error, arguments: arguments ?? Array(CommandLine.arguments.dropFirst()))
        }
        do {
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as ValidationError {
            exitForArguments(error, arguments: arguments ?? Array(CommandLine.arguments.dropFirst()))
        } catch {
            exit(withError: error)
        }
    }

    /// Exits for an error of parsing: help and `--version` as ArgumentParser prints them,
    /// any other error as one `Error:` line and a pointer to the subcommand's `--help`.
    private static func exitForArguments(_ error: any Error, arguments: [String]) -> Never {
        let code = exitCode(for: error)
        guard code == .validationFailure else { exit(withError: error) }
        let message = message(for: error).split(whereSeparator: \.isNewline).first.map(String.init) ?? "invalid arguments"
        let words = arguments.prefix { !$0.hasPrefix("-") }.prefix(2)
        let help = (["driftless"] + words).joined(separator: " ") + " --help"
        FileHandle.standardError.write(Data("Error: \(message)\nSee '\(help)' for usage.\n".utf8))
        Foundation.exit(code.rawValue)
    }
}
