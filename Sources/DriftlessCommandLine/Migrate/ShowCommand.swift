import ArgumentParser
import DriftlessMigrations

/// `driftless migrate show REVISION`
struct ShowCommand: ParsableCommand, BackendTask {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one revision: its header and the SQL of its upgrade and downgrade.",
        discussion: "The SQL is rendered for the database's dialect (or --dialect); nothing connects.")

    @OptionGroup var options: MigrationOptions

    @Argument(help: "A revision id, unique prefix, head or label@head.")
    var revision: String

    func run() throws {
        Console.write(try options.runOffline(self))
    }

    func perform<Database: MigratableDatabase>(_ backend: Database.Type, graph: RevisionGraph, configuration: MigratorConfiguration) throws -> String {
        let id: String = if graph.repeatableMigration(revision) != nil { revision } else {
            switch try graph.resolve(revision, current: []) {
            case .revisions(let ids) where ids.count == 1: ids.first!
            default: throw CommandLineError("\"\(revision)\" does not name one revision")
            }
        }
        guard let migration = graph.migration(id) ?? graph.repeatableMigration(id) else { throw MigrationError.unknownRevision(revision) }
        let script = OfflineMigrationScript<Database>(graph: graph, configuration: configuration)
        let revision = migration.revision
        var lines = [
            (migration.isRepeatable ? "Repeatable:    " : "Revision:      ") + revision.id + (graph.heads.contains(id) ? " (head)" : ""),
            "Parents:       \(revision.parents.isEmpty ? "<base>" : revision.parents.joined(separator: ", "))",
            "Children:      \(graph.children(of: id).isEmpty ? "-" : graph.children(of: id).joined(separator: ", "))",
            "Message:       \(revision.message)",
            "Created:       \(revision.createdAt.map(Revision.format) ?? "-")",
            "Checksum:      \(MigrationChecksum.of(migration, dialect: Database.migrationDialect))",
            "Branch labels: \(revision.branchLabels.isEmpty ? "-" : revision.branchLabels.sorted().joined(separator: ", "))",
            "Depends on:    \(revision.dependsOn.isEmpty ? "-" : revision.dependsOn.joined(separator: ", "))",
            "Transactional: \(migration.isTransactional ? "yes" : "no")",
            "Acknowledged:  \(migration.acknowledged.isEmpty ? "-" : migration.acknowledged.map(\.rawValue).sorted().joined(separator: ", "))",
            "Source:        \(migration.source)",
        ]
        for direction in migration.isRepeatable ? [MigrationDirection.upgrade] : [.upgrade, .downgrade] {
            lines.append("")
            lines.append("-- \(direction) (\(Database.migrationDialect.name))")
            do {
                let statements = try script.statements(of: id, direction: direction)
                lines.append(statements.isEmpty ? "-- (nothing)" : statements.joined(separator: "\n"))
            } catch let error as MigrationError where error.code == .offlineUnsupported {
                lines.append(("-- " + (error.detail ?? "it") + " runs Swift code: it has no SQL to show").sanitizedForComment)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
