import ArgumentParser
import Driftless
import DriftlessMigrations
import DriftlessPostgres
import DriftlessPostgresMigrations
import DriftlessSQLite
import DriftlessSQLiteMigrations
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Tracing

/// Serves the API as release v1 or v2 until SIGTERM or SIGINT, then shuts down gracefully.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve")

    @Option(help: "The release to run: v1 or v2.")
    var release: String = "v1"

    @Option(help: "A SQLite path or a postgres:// URL.")
    var database: String

    @Option(help: "The loopback port to listen on.")
    var port: Int = 8080

    @Flag(help: "Plain models: full-column SQL, errors surfaced (no drift tolerance).")
    var plain = false

    @Flag(inversion: .prefixedNo, help: "Apply this release's migrations at startup.")
    var migrate = true

    @Option(help: "Catch-up interval of projected plans, in milliseconds.")
    var catchUpMilliseconds: Int = 500

    @Option(help: "Database connections (PostgreSQL) or readers (SQLite).")
    var connections: Int = 4

    @Flag(help: "Trace queries through the bootstrapped tracer (statement text stays off).")
    var trace = false

    func run() async throws {
        guard let release = Release(rawValue: release) else {
            throw ValidationError("--release must be v1 or v2")
        }
        var logger = Logger(label: "rollout.\(release.rawValue).\(port)")
        logger.logLevel = .notice
        // With --trace, queries are spans (children of TracingMiddleware's request spans) sent to
        // the tracer the app bootstrapped with InstrumentationSystem.bootstrap.
        let drift = DriftConfiguration(
            catchUpInterval: .milliseconds(catchUpMilliseconds), logger: logger, tracing: trace ? QueryTracing() : nil)
        switch Backend(url: database) {
        case .postgres:
            var configuration = try PostgresConfiguration(url: database, maximumConnectionCount: connections, drift: drift)
            configuration.connectTimeout = .seconds(5)
            let db = try PostgresDatabase(configuration: configuration)
            try await serve(db, backend: .postgres, release: release, logger: logger) { db.close() }
        case .sqlite:
            let db = try SQLiteDatabase(
                path: database, configuration: SQLiteConfiguration(maximumReaderCount: connections, drift: drift))
            try await serve(db, backend: .sqlite, release: release, logger: logger) { db.close() }
        }
    }

    private func serve<Database: MigratableDatabase>(
        _ db: Database, backend: Backend, release: Release, logger: Logger, close: @escaping @Sendable () -> Void
    ) async throws {
        let records: [any Record.Type] = release == .v1 ? [UserV1.self, Post.self] : [UserV2.self, Post.self]
        let gate = StartupGate()
        let databaseService = DatabaseService(
            database: db, migrations: AppMigrations.startup(for: release, backend: backend), records: records,
            migrates: migrate, release: release, joinsFleet: !plain, ready: gate, close: close, logger: logger)
        let store: any Store = plain ? PlainStore(database: db, release: release) : DriftlessStore(database: db, release: release)
        let context = db.driftContext
        let routes = Routes(store: store, release: release, plain: plain, gate: gate) {
            [
                "driftErrorsRecovered": context.statistics.driftErrorsRecovered,
                "tablesReflected": context.statistics.tablesReflected,
                "catchUpChecksRun": context.statistics.catchUpChecksRun,
                "schemaGeneration": context.schemaMap.generation,
            ]
        }
        let router = Router()
        if trace { router.add(middleware: TracingMiddleware()) }
        routes.add(to: router)
        let port = port
        var app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "rollout-\(release.rawValue)"),
            services: [databaseService],
            onServerRunning: { _ in
                FileHandle.standardOutput.write(Data("ready \(release.rawValue) port \(port)\n".utf8))
            },
            logger: logger)
        // The server listens only once the schema is ready (the startup call has returned).
        app.beforeServerStarts { _ = await gate.wait() }
        let group = ServiceGroup(configuration: .init(
            services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        print("stopped \(release.rawValue) port \(port)")
    }
}
