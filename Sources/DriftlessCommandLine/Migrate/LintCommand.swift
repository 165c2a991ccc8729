import ArgumentParser
import Driftless
import DriftlessMigrations
import DriftlessPostgres
import DriftlessPostgresMigrations
import DriftlessSQLite
import DriftlessSQLiteMigrations

/// `driftless migrate lint [REVISION...]`
struct LintCommand: ParsableCommand, BackendTask {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Flag operations that break code still running during a rolling deploy (exit 1 if any).",
        discussion: "A migration acknowledges a finding it accepts (acknowledging: in Swift, -- acknowledge: in a SQL file).")

    @OptionGroup var options: MigrationOptions

    @Argument(help: "The revisions to lint (default: all).")
    var revisions: [String] = []

    @Flag(name: .long, help: "Print the catalogue of rules (id, what it flags, which databases check it, the hazard and the safe alternative) and exit.")
    var listRules = false

    func run() throws {
        if listRules { return Console.write(Self.catalogue()) }
        let unacknowledged = try options.runOffline(self)
        if unacknowledged > 0 { throw ExitCode(1) }
    }

    /// Every rule, as `--list-rules` prints it.
    static func catalogue() -> String {
        let checkers: [(name: String, dialect: any MigrationDialect)] = [
            ("sqlite", SQLiteDialect()), ("postgres", PostgresDialect()),
        ]
        var lines = ["\(LintRule.allCases.count) rules. A migration acknowledges a reviewed finding with acknowledging: [...] "
                     + "in Swift or -- acknowledge: <id> in a SQL file.", ""]
        for rule in LintRule.allCases {
            let databases = checkers.filter { $0.dialect.lintRules.contains(rule) }.map(\.name)
            lines.append("\(rule.rawValue)  (\(databases.isEmpty ? "-" : databases.joined(separator: ", ")))")
            lines.append("    What:    \(rule.summary)")
            lines.append("    Hazard:  \(rule.hazard)")
            lines.append("    Instead: \(rule.safeAlternative)")
            lines.append("")
        }
        return lines.joined(separator: "\n")
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
