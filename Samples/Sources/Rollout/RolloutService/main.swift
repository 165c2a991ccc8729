// The rollout proof's HTTP service (Samples/rollout/run.sh, ROLLOUT.md).
//
//     RolloutService serve --release v1 --database postgres://... --port 8081
//     RolloutService serve --release v2 --plain ...      # the same service without drift tolerance
//     RolloutService migrate upgrade head --database ... # the driftless commands with this app's
//     RolloutService migrate check --fleet --database .. # migrations and records built in
import ArgumentParser
import Driftless
import DriftlessCommandLine
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "migrate":
    await DriftlessCommand.main(
        migrations: AppMigrations.all(backend: Backend(url: databaseArgument(arguments))),
        records: [UserV2.self, Post.self])
default:
    await run(ServeCommand.self, arguments.first == "serve" ? Array(arguments.dropFirst()) : arguments)
}

/// Parses and runs an async command (ArgumentParser's `main(_:)` with arguments is synchronous).
func run<Command: AsyncParsableCommand>(_ type: Command.Type, _ arguments: [String]) async {
    do {
        var command = try Command.parse(arguments)
        try await command.run()
    } catch {
        Command.exit(withError: error)
    }
}

/// The `--database` value (or `DATABASE_URL`) of a command line, to pick the backend's migrations.
func databaseArgument(_ arguments: [String]) -> String {
    if let index = arguments.firstIndex(of: "--database"), index + 1 < arguments.count { return arguments[index + 1] }
    if let inline = arguments.first(where: { $0.hasPrefix("--database=") }) { return String(inline.dropFirst(11)) }
    return ProcessInfo.processInfo.environment["DATABASE_URL"] ?? ""
}
