import Driftless
import Logging

extension Migrator {
    /// Brings the database to every head at application startup, safely when several
    /// processes start at once.
    ///
    /// Skips fast (one query, no lock; a second one when there are repeatable migrations)
    /// when the database is already at head. Otherwise it
    /// takes the migration lock (waiting up to ``MigratorConfiguration/lockTimeout``),
    /// re-reads the version table under it and applies what is still missing, so exactly one
    /// process applies each migration. A database *ahead* of this program (a revision it does
    /// not know) is logged as a warning and left alone: during a rolling deploy the newer
    /// release migrated it, and runtime tolerance covers the older code.
    @available(*, noasync, message: "use the async migrateToLatest()")
    public func migrateToLatest(progress: (MigrationEvent) -> Void = { _ in }) throws -> AutoMigrationResult {
        let rows = try readVersions()
        let unknown = rows.filter { !graph.contains($0) }
        if !unknown.isEmpty {
            logger.warning("the database is ahead of this program: not migrating", metadata: [
                "unknown_revisions": "\(graph.sorted(unknown).joined(separator: ","))",
            ])
            return .databaseAhead(unknownRevisions: graph.sorted(unknown))
        }
        if rows == Set(graph.heads) || graph.upgradePath(from: rows, to: .revisions(Set(graph.heads))).isEmpty,
           try pendingRepeatableMigrations().isEmpty {
            return .upToDate
        }
        let run = try run(.upgrade, to: "heads", toleratingNewerDatabase: true, progress: progress)
        if !run.newerRevisions.isEmpty { return .databaseAhead(unknownRevisions: run.newerRevisions) }
        return run.steps.isEmpty ? .upToDate : .migrated(run)
    }

    /// ``migrateToLatest(progress:)`` on a thread of its own, off Swift's cooperative pool.
    public func migrateToLatest() async throws -> AutoMigrationResult {
        let migrator = self
        return try await database.offCooperativePool { try migrator.migrateToLatest() }
    }

    /// The startup call: the three layers teams rely on, in order.
    ///
    /// 1. **Migrate** (``migrateToLatest(progress:)``).
    /// 2. If migrating failed and the app opted in (`.createMissingTables`), **create missing
    ///    tables** from the record declarations (the "create_all" fallback) instead of failing
    ///    startup; the error is logged and reported.
    /// 3. **Runtime tolerance**: reflect each record's table now, so records whose columns
    ///    are still missing start on projected plans without a failing first query, and log
    ///    the drift that remains. Repositories keep tolerating drift from then on.
    ///
    /// ```swift
    /// let report = try await Migrator(database: db, migrations: AppMigrations.all)
    ///     .prepareDatabase(records: [User.self, Order.self], onMigrationFailure: .createMissingTables)
    /// ```
    ///
    /// - Throws: The migration error when `onMigrationFailure` is `.fail`.
    @available(*, noasync, message: "use the async prepareDatabase(records:onMigrationFailure:)")
    public func prepareDatabase(
        records: [any Record.Type] = [], onMigrationFailure: MigrationFailurePolicy = .fail
    ) throws -> StartupReport {
        var report = StartupReport()
        do {
            report.migration = try migrateToLatest()
        } catch {
            guard onMigrationFailure == .createMissingTables else { throw error }
            logger.error("migrating failed; creating missing tables from record declarations", metadata: [
                "error": "\(error)",
            ])
            report.migrationError = error
            report.createdTables = try database.blocking.createMissingTables(for: records)
        }
        if !records.isEmpty {
            let drift = try database.blocking.driftReport(for: records)
            report.drift = drift
            if !drift.isClean {
                logger.notice("records and schema differ; runtime tolerance covers it", metadata: [
                    "records": "\(drift.entries.filter { $0.mode.isDrifted }.map(\.record).joined(separator: ","))",
                ])
            }
        }
        return report
    }

    /// ``prepareDatabase(records:onMigrationFailure:)`` off Swift's cooperative pool.
    public func prepareDatabase(
        records: [any Record.Type] = [], onMigrationFailure: MigrationFailurePolicy = .fail
    ) async throws -> StartupReport {
        let migrator = self
        return try await database.offCooperativePool {
            try migrator.prepareDatabase(records: records, onMigrationFailure: onMigrationFailure)
        }
    }
}
