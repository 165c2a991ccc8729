import DriftlessMigrations

/// Renders an offline script for `--sql` (nothing connects).
struct OfflineScriptTask: BackendTask {
    enum Kind {
        case upgrade(range: String)
        case downgrade(range: String)
        case stamp(targets: [String], from: String?, purge: Bool)
    }

    let kind: Kind

    func perform<Database: MigratableDatabase>(_ backend: Database.Type, graph: RevisionGraph, configuration: MigratorConfiguration) throws -> String {
        let script = OfflineMigrationScript<Database>(graph: graph, configuration: configuration)
        switch kind {
        case .upgrade(let range): return try script.upgrade(range)
        case .downgrade(let range): return try script.downgrade(range)
        case .stamp(let targets, let start, let purge): return try script.stamp(targets, from: start, purge: purge)
        }
    }
}
