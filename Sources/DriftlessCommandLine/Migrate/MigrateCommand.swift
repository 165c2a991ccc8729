import ArgumentParser

/// `driftless migrate ...`: the Alembic-style commands. Public so that an app with a command
/// tree of its own can add it as a subcommand.
public struct MigrateCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Versioned schema migrations: apply, revert, inspect, write and check them.",
        discussion: """
            Migrations are SQL files in --directory (default migrations/) plus, in an app that \
            embeds these commands, its Swift migrations. The database is --database or \
            DATABASE_URL: a SQLite path, sqlite:PATH, or postgres://user@host/db.

            Targets: head, heads, base, a revision id or unique prefix, +N/-N, REV+N/REV-N, \
            label@head, label@base.
            """,
        subcommands: [
            UpgradeCommand.self, DowngradeCommand.self, CurrentCommand.self, HeadsCommand.self,
            BranchesCommand.self, HistoryCommand.self, ShowCommand.self, StampCommand.self,
            MergeCommand.self, RevisionCommand.self, CheckCommand.self, LintCommand.self, RepairCommand.self,
            FleetCommand.self, BackfillCommand.self,
        ]
    )

    public init() {}
}
