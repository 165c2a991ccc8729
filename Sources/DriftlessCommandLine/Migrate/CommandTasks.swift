import DriftlessMigrations

/// Work that needs a migrator on a live database, generic over the backend.
protocol MigratorTask {
    associatedtype Output
    func perform<Database: MigratableDatabase>(_ migrator: Migrator<Database>) throws -> Output
}

/// Work that needs only a backend's SQL flavour, generic over the backend.
protocol BackendTask {
    associatedtype Output
    func perform<Database: MigratableDatabase>(_ backend: Database.Type, graph: RevisionGraph, configuration: MigratorConfiguration) throws -> Output
}
