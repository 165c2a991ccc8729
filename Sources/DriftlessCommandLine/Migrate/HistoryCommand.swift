import ArgumentParser
import Driftless
import DriftlessMigrations

/// `driftless migrate history`
struct HistoryCommand: ParsableCommand, MigratorTask {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List the revisions, newest first, with the database's current ones marked.",
        discussion: """
            Without a database, lists the graph alone. -r START:END lists a range, as Alembic does: both ends included, \
            START: from START to the heads, :END from base to END, base and heads and current as ends, -N (START) or +N (END) \
            relative to the other end, and every other target form (a revision or prefix, label@head, REV+N).
            """)

    @OptionGroup var options: MigrationOptions

    @Flag(name: .shortAndLong, help: "Also show creation dates, branch labels, dependencies and where each migration comes from.")
    var verbose = false

    // `.unconditional`, so that a range starting with a relative step (`-2:`) is the value.
    @Option(name: [.customShort("r"), .customLong("rev-range")], parsing: .unconditional,
            help: ArgumentHelp("Only the revisions of START:END (START:, :END, base:, :heads, -N:, current:...).", valueName: "range"))
    var range: String?

    func run() throws {
        if try options.location() == nil {
            let graph = try options.graph()
            return print(try entries(graph, current: []), database: false)
        }
        try options.run(self, readOnly: true)
    }

    func perform<Database: MigratableDatabase>(_ migrator: Migrator<Database>) throws {
        if let note = options.noMigrationsNote(migrator.graph) { return Console.line(note) }
        print(try entries(migrator.graph, current: Set(migrator.currentRevisions())), database: true)
    }

    private func entries(_ graph: RevisionGraph, current: Set<String>) throws -> [HistoryEntry] {
        try range.map { try graph.history(current: current, range: $0) } ?? graph.history(current: current)
    }

    private func print(_ history: [HistoryEntry], database: Bool) {
        var header = ["db", "revision", "parents", "marks", "message"]
        if !database { header.removeFirst() }
        if verbose { header += ["created", "labels", "depends on", "source"] }
        let rows = history.map { entry in
            var row = database ? [entry.isCurrent ? "@" : (entry.isApplied ? "*" : "")] : []
            row += [entry.revision.id,
                       entry.revision.parents.isEmpty ? "<base>" : entry.revision.parents.joined(separator: ", "),
                       entry.markers,
                       entry.revision.message]
            if verbose {
                row += [entry.revision.createdAt.map(Revision.format) ?? "-",
                        entry.revision.branchLabels.sorted().joined(separator: ", "),
                        entry.revision.dependsOn.joined(separator: ", "), entry.source]
            }
            return row
        }
        guard !rows.isEmpty else {
            if range != nil { return Console.line("No revisions in \(range!).") }
            return Console.line("No migrations: none registered in Swift and no .sql files in \(options.directoryPath)/.")
        }
        Console.line(TextTable(header: header, rows: rows).description)
        // The legend names only the marks that appear.
        var legend: [String] = []
        if history.contains(where: \.isCurrent) { legend.append("@ current (in the version table)") }
        if history.contains(where: { $0.isApplied && !$0.isCurrent }) { legend.append("* applied") }
        if database && legend.isEmpty { legend.append("nothing listed is applied") }
        if !legend.isEmpty { Console.line("\n" + legend.joined(separator: "   ")) }
    }
}
