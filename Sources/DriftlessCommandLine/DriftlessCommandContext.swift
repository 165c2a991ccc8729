import Driftless
import DriftlessMigrations

/// What an app gives the embedded commands: its Swift migrations and its records.
///
/// The commands read it from a task-local value, so an app sets it around `main` and
/// nothing global is mutated (safe under Swift 6 strict concurrency):
///
/// ```swift
/// @main
/// enum App {
///     static func main() async {
///         await DriftlessCommand.main(migrations: AppMigrations.all, records: [User.self, Order.self])
///     }
/// }
/// ```
///
/// An app with a command tree of its own adds ``MigrateCommand`` (or ``DriftlessCommand``)
/// as a subcommand and runs its root inside ``DriftlessCommandContext/withValue(_:operation:)``.
public struct DriftlessCommandContext: Sendable {
    /// Swift migrations, combined with the SQL files of `--directory` into one graph.
    public var migrations: [Migration]
    /// Record types, for `check` (drift), `lint` (what running code still declares) and
    /// `revision --autogenerate`.
    public var records: [any Record.Type]
    /// The folder of SQL migrations when `--directory` is not given.
    public var defaultDirectory: String

    public init(migrations: [Migration] = [], records: [any Record.Type] = [], defaultDirectory: String = "migrations") {
        self.migrations = migrations
        self.records = records
        self.defaultDirectory = defaultDirectory
    }

    /// The context of the running command (empty for the plain `driftless` tool).
    @TaskLocal public static var current = DriftlessCommandContext()

    /// Runs `operation` (typically an app's own root command's `main`) with this context.
    public func withValue<T>(operation: () async throws -> T) async rethrows -> T {
        try await Self.$current.withValue(self, operation: operation)
    }
}
