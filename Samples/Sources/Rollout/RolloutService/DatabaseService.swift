import Driftless
import DriftlessMigrations
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The database's lifetime as a swift-service-lifecycle `Service`.
///
/// `run()` makes the schema ready with the startup call (migrate to this release's head;
/// drift that remains is served by projected plans), opens ``ready``, then holds the database
/// (on PostgreSQL its LISTEN connection keeps projected plans catching up) and its fleet
/// registration (the columns this release uses, so contract steps wait for it) until graceful
/// shutdown. The HTTP server is a later service of the same group, so on SIGTERM it stops
/// taking work and finishes its requests first; then this service closes the pool.
struct DatabaseService<Database: MigratableDatabase>: Service {
    let database: Database
    let migrations: [Migration]
    let records: [any Record.Type]
    /// Whether this process applies its release's migrations at startup (off: a release
    /// rolled out ahead of its migration, as when the migration job lags the deploy).
    let migrates: Bool
    /// The release this process registers in the fleet table (what contract steps check).
    let release: Release
    /// Off for plain models: an app without Driftless has no fleet table to register in.
    let joinsFleet: Bool
    let ready: StartupGate
    let close: @Sendable () -> Void
    let logger: Logger

    func run() async throws {
        let started = Date()
        if migrates {
            // Overflow values are not moved right after the expand step commits: a process still
            // on its projected plan (until NOTIFY or its catch-up interval) reads them from the
            // overflow and would read the default for a moved value. The rollout's backfill
            // phase moves them (`migrate backfill`) once every process serves full plans.
            let configuration = MigratorConfiguration(overflowColumn: nil)
            let report = try await Migrator(database: database, migrations: migrations, configuration: configuration)
                .prepareDatabase(records: records, onMigrationFailure: .fail)
            let applied = report.migration?.appliedRevisions ?? []
            ready.open(StartupGate.Startup(applied: applied, started: started, finished: Date()))
            logger.info("database ready", metadata: ["applied": "\(applied)"])
        } else {
            _ = try await database.driftReport(for: records)
            ready.open(StartupGate.Startup(applied: [], started: started, finished: Date()))
            logger.info("database ready without migrating")
        }
        let registration = joinsFleet
            ? try await database.joinFleet(records: records, release: release.rawValue, timeToLive: .seconds(10)) : nil
        try? await gracefulShutdown()
        // The HTTP server has finished its last request: leave the fleet, then drain the pool.
        try? await registration?.leave()
        close()
        logger.info("database closed")
    }
}

/// Opened once the database is ready; the HTTP server waits for it before it listens.
final class StartupGate: Sendable {
    struct Startup: Sendable {
        var applied: [String]
        var started: Date
        var finished: Date
    }

    private let state = Mutex<(startup: Startup?, waiters: [CheckedContinuation<Startup, Never>])>((nil, []))

    func open(_ startup: Startup) {
        let waiters = state.withLock { state in
            state.startup = startup
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: startup) }
    }

    var startup: Startup? { state.withLock { $0.startup } }

    func wait() async -> Startup {
        await withCheckedContinuation { continuation in
            let startup: Startup? = state.withLock { state in
                if let startup = state.startup { return startup }
                state.waiters.append(continuation)
                return nil
            }
            if let startup { continuation.resume(returning: startup) }
        }
    }
}
