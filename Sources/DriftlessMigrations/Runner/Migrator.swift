import Driftless
import Logging

/// Applies and reverts migrations on one database, Alembic-style, safely under concurrency.
///
/// ```swift
/// let db = try SQLiteDatabase(path: "app.sqlite")
/// let migrator = try Migrator(database: db, migrations: AppMigrations.all)
/// try migrator.upgrade()                       // to every head
/// try migrator.downgrade(to: "-1")
/// print(try migrator.currentRevisions())
/// ```
///
/// Each migration runs in a transaction of its own together with its version-table update,
/// so a failure (or a killed process) leaves the database at the previous revision. A
/// migration that opts out of transactions (`CREATE INDEX CONCURRENTLY`) runs on its own and
/// its version update follows in a transaction. Concurrent migrators exclude each other (a
/// PostgreSQL advisory lock; SQLite's write lock) and re-read the version table under the
/// lock, so each migration is applied exactly once. Afterwards the database's schema cache is
/// invalidated and, on PostgreSQL, other instances are notified, so projected plans catch up
/// at once.
public struct Migrator<Database: MigratableDatabase>: Sendable {
    /// The database migrations run on; its schema cache is invalidated after each run.
    public let database: Database
    /// Every migration, validated and ordered.
    public let graph: RevisionGraph
    /// The version table, the lock timeout and the logger.
    public let configuration: MigratorConfiguration

    /// A migrator for these migrations (Swift ones, SQL files, or both).
    ///
    /// - Throws: A ``MigrationError`` when the migrations do not form a valid graph.
    public init(database: Database, migrations: [Migration], configuration: MigratorConfiguration = MigratorConfiguration()) throws {
        self.init(database: database, graph: try RevisionGraph(migrations), configuration: configuration)
    }

    public init(database: Database, graph: RevisionGraph, configuration: MigratorConfiguration = MigratorConfiguration()) {
        self.database = database
        self.graph = graph
        self.configuration = configuration
    }

    var logger: Logger { configuration.logger }

    // MARK: Reading

    /// The version-table rows, in graph order (unknown revisions last): the revisions the
    /// database is at, one per applied head.
    public func currentRevisions() throws -> [String] {
        graph.sorted(try readVersions())
    }

    func readVersions() throws -> Set<String> {
        let table = configuration.versionTable
        return try database.read { try table.read(on: LiveMigrationConnection($0)) }
    }

    /// The migrations `upgrade heads` would apply, in order.
    ///
    /// - Throws: ``MigrationError/unknownRevisionsInDatabase(_:)`` when the database is ahead.
    public func pendingMigrations() throws -> [Migration] {
        let rows = try readVersions()
        try requireKnown(rows)
        return graph.upgradePath(from: rows, to: .revisions(Set(graph.heads))).map(\.migration)
    }

    /// Every revision, newest first, with the current ones marked.
    public func history() throws -> [HistoryEntry] {
        graph.history(current: try readVersions())
    }

    func requireKnown(_ rows: Set<String>) throws {
        let unknown = rows.filter { !graph.contains($0) }
        if !unknown.isEmpty { throw MigrationError.unknownRevisionsInDatabase(graph.sorted(unknown)) }
    }

    // MARK: Changing

    /// Applies the migrations up to a target (`heads` by default; see
    /// ``RevisionGraph/resolve(_:current:)`` for targets).
    ///
    /// - Parameter progress: Called before and after each migration, on the calling thread.
    /// - Throws: ``MigrationError`` (a failed migration is `migrationFailed`, naming it, after
    ///   its transaction rolled back), or the database's errors.
    @discardableResult
    public func upgrade(to target: String = "heads", progress: (MigrationEvent) -> Void = { _ in }) throws -> MigrationRun {
        try run(.upgrade, to: target, toleratingNewerDatabase: false, progress: progress)
    }

    /// Reverts migrations down to a target (`base`, a revision, `-1`, `label@base`, ...):
    /// what was applied after it, leaving other branches alone.
    @discardableResult
    public func downgrade(to target: String, progress: (MigrationEvent) -> Void = { _ in }) throws -> MigrationRun {
        try run(.downgrade, to: target, toleratingNewerDatabase: false, progress: progress)
    }
}
