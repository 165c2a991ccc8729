import ArgumentParser
import Driftless
import DriftlessMigrations

/// `driftless migrate lint [REVISION...]`
struct LintCommand: ParsableCommand, BackendTask {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Flag operations that break code still running during a rolling deploy (exit 1 if any).",
        discussion: "A migration acknowledges a finding it accepts (acknowledging: in Swift, -- acknowledge: in a SQL file).")

    @OptionGroup var options: MigrationOptions

    @Argument(help: "The revisions to lint (default: all).")
    var revisions: [String] = []

    func run() throws {
        let unacknowledged = try options.runOffline(self)
        if unacknowledged > 0 { throw ExitCode(1) }
    }

    func perform<Database: MigratableDatabase>(_ backend: Database.Type, graph: RevisionGraph, configuration: MigratorConfiguration) throws -> Int {
        let ids = try revisions.isEmpty ? graph.migrations.map(\.revision.id) : revisions.map { try graph.revision(matching: $0) }
        let linter = MigrationLinter(records: options.context.records, dialect: Database.migrationDialect)
        let findings = ids.compactMap(graph.migration).flatMap(linter.lint)
        let scope = "\(ids.count) migration(s), for \(Database.migrationDialect.name)"
            + (options.dialect == nil && (try? options.location()) == nil ? " (--dialect postgres for PostgreSQL's rules)" : "")
        guard !findings.isEmpty else {
            Console.line("No findings in \(scope).")
            return 0
        }
        for finding in findings {
            Console.line("\(finding.revision) [\(finding.rule.rawValue)]\(finding.isAcknowledged ? " (acknowledged)" : "") \(finding.message)")
            Console.line("    Instead: \(finding.safeAlternative)")
        }
        let open = findings.filter { !$0.isAcknowledged }.count
        Console.line("\n\(findings.count) finding(s) in \(scope), \(open) not acknowledged.")
        return open
    }
}
