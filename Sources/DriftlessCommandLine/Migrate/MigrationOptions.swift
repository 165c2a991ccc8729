import ArgumentParser
import Driftless
import DriftlessMigrations
import DriftlessPostgres
import DriftlessPostgresMigrations
import DriftlessSQLite
import DriftlessSQLiteMigrations
import Foundation
import Logging

/// The options every `migrate` command shares: where the database and the SQL migrations
/// are, and how long to wait for another migrator.
struct MigrationOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The database: a SQLite path, sqlite:PATH, postgres://user@host/db or a libpq keyword string such as 'dbname=app' (default: $DATABASE_URL, else the PG* environment).",
        valueName: "url"))
    var database: String?

    @Option(name: .long, help: ArgumentHelp("The folder of SQL migrations (default: migrations).", valueName: "path"))
    var directory: String?

    @Option(name: .long, help: "The SQL flavour to render when no database is given (sqlite or postgres).")
    var dialect: Dialect?

    @Option(name: .long, help: ArgumentHelp("Seconds to wait for another process that is migrating.", valueName: "seconds"))
    var lockTimeout: Double = 120

    @Flag(name: .long, help: "Run drops and renames that live processes registered in the fleet table still need.")
    var force = false

    var context: DriftlessCommandContext { .current }

    func validate() throws {
        guard lockTimeout.isFinite, lockTimeout >= 0, lockTimeout <= 86_400 else {
            throw ValidationError("--lock-timeout takes seconds from 0 to 86400, not \(lockTimeout)")
        }
    }

    var directoryPath: String { directory ?? context.defaultDirectory }

    /// The app's Swift migrations and the folder's SQL files, as one graph.
    ///
    /// - Parameter creatingDirectory: Whether the command writes into the folder (and creates
    ///   it). Otherwise a `--directory` that does not exist, with no Swift migrations either,
    ///   is an error rather than an empty graph: it is far more likely a typo than a project
    ///   without migrations. (An app with Swift migrations may not have the folder yet.)
    func graph(creatingDirectory: Bool = false) throws -> RevisionGraph {
        let folder = MigrationDirectory(path: directoryPath)
        if let directory, !creatingDirectory, context.migrations.isEmpty, !folder.exists {
            throw CommandLineError("there is no migrations folder \(directory) (--directory)")
        }
        return try RevisionGraph(context.migrations + folder.migrations())
    }

    /// Says where migrations were looked for, when there are none.
    func noMigrationsNote(_ graph: RevisionGraph) -> String? {
        guard graph.migrations.isEmpty else { return nil }
        return "No migrations: none registered in Swift and no .sql files in \(directoryPath)/."
    }

    /// `--database`, else `DATABASE_URL`, else the `PG*` environment, if any is given.
    func location() throws -> DatabaseLocation? {
        let environment = ProcessInfo.processInfo.environment
        if let text = database ?? environment["DATABASE_URL"].flatMap({ $0.isEmpty ? nil : $0 }) {
            return try DatabaseLocation(text)
        }
        let libpq = DatabaseLocation.postgresEnvironmentKeys.contains { environment[$0].map { !$0.isEmpty } ?? false }
        return libpq ? .postgresEnvironment : nil
    }

    func requireLocation() throws -> DatabaseLocation {
        guard let location = try location() else {
            throw CommandLineError("no database: pass --database URL (or a libpq keyword string), set DATABASE_URL, "
                                   + "or set PGDATABASE/PGHOST for PostgreSQL")
        }
        return location
    }

    var configuration: MigratorConfiguration {
        var logger = Logger(label: "driftless.migrations")
        logger.logLevel = .warning
        return MigratorConfiguration(lockTimeout: .milliseconds(Int64(max(0, lockTimeout) * 1000)), logger: logger,
                                     checksFleet: !force)
    }

    /// Opens the database and runs the task with a migrator for it.
    ///
    /// - Parameter readOnly: The command only reads (`current`, `history`, `check`...): a
    ///   SQLite file that does not exist is an error, never created.
    func run<Task: MigratorTask>(_ task: Task, creatingDirectory: Bool = false, readOnly: Bool = false) throws -> Task.Output {
        try CommandLineError.oneLine { try open(task, creatingDirectory: creatingDirectory, readOnly: readOnly) }
    }

    private func open<Task: MigratorTask>(_ task: Task, creatingDirectory: Bool, readOnly: Bool) throws -> Task.Output {
        let graph = try graph(creatingDirectory: creatingDirectory)
        var logger = Logger(label: "driftless")
        logger.logLevel = .warning
        let drift = DriftConfiguration(logger: logger)
        let location = try requireLocation()
        try location.checkFolderExists()
        if readOnly { try location.checkExistsForReading() }
        switch location {
        case .sqlite(let path):
            let database = try SQLiteDatabase(path: path, configuration: SQLiteConfiguration(drift: drift))
            defer { database.close() }
            return try task.perform(Migrator(database: database, graph: graph, configuration: configuration))
        case .postgres, .postgresKeywords, .postgresEnvironment:
            let settings = try location.postgresConfiguration(maximumConnectionCount: 2, drift: drift)!
            let database = try PostgresDatabase(configuration: settings)
            defer { database.close() }
            return try task.perform(Migrator(database: database, graph: graph, configuration: configuration))
        }
    }

    /// The SQL flavour for work that connects to nothing: `--dialect`, else the database's.
    ///
    /// - Parameter required: Whether guessing is refused (offline scripts must be for the
    ///   database they will run on); otherwise SQLite is the default.
    func offlineDialect(required: Bool) throws -> Dialect {
        if let dialect { return dialect }
        switch try location() {
        case .postgres?, .postgresKeywords?, .postgresEnvironment?: return .postgres
        case .sqlite?: return .sqlite
        case nil:
            guard !required else {
                throw CommandLineError("--sql writes SQL for one database: pass --dialect sqlite or --dialect postgres, "
                                       + "or --database URL / DATABASE_URL (nothing connects)")
            }
            return .sqlite
        }
    }

    /// Runs a task that needs only the backend's dialect (offline SQL, `show`, `lint`; see
    /// ``offlineDialect(required:)``). Nothing connects.
    func runOffline<Task: BackendTask>(_ task: Task, dialectRequired: Bool = false) throws -> Task.Output {
        try CommandLineError.oneLine {
            let graph = try graph()
            switch try offlineDialect(required: dialectRequired) {
            case .sqlite: return try task.perform(SQLiteDatabase.self, graph: graph, configuration: configuration)
            case .postgres: return try task.perform(PostgresDatabase.self, graph: graph, configuration: configuration)
            }
        }
    }
}
