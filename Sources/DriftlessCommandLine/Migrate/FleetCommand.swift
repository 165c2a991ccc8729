import ArgumentParser
import Driftless
import DriftlessMigrations
import Foundation

/// `driftless migrate fleet`: which releases run against the database, and which pending
/// drops and renames they still need.
struct FleetCommand: ParsableCommand, MigratorTask {
    static let configuration = CommandConfiguration(
        commandName: "fleet",
        abstract: "List the releases of live processes and the pending contract steps they still need (exit 1 if any).",
        discussion: "Processes register through joinFleet(records:release:). An entry counts until its heartbeat expires.")

    @OptionGroup var options: MigrationOptions

    func run() throws {
        try options.run(self)
    }

    func perform<Database: MigratableDatabase>(_ migrator: Migrator<Database>) throws {
        let report = try migrator.fleetReport()
        FleetCommand.print(report)
        if !report.blockedSteps.isEmpty { throw ExitCode(1) }
    }

    static func print(_ report: FleetReport) {
        if report.live.isEmpty {
            Console.line("No live process is registered in the fleet table.")
        } else {
            Console.line("Releases in use:")
            for (release, processes) in report.releases {
                let fingerprints = Set(report.live.filter { $0.release == release }.map(\.fingerprint)).sorted()
                Console.line("  \(release): \(processes) process(es), schema \(fingerprints.joined(separator: ", "))")
            }
            for member in report.live { Console.line("    \(member.host) pid \(member.pid), last heartbeat \(member.heartbeat)") }
        }
        let expired = report.members.count - report.live.count
        if expired > 0 { Console.line("(\(expired) expired entr\(expired == 1 ? "y" : "ies") not counted)") }
        if report.blockedSteps.isEmpty {
            Console.line("OK: no pending drop or rename is still needed by a live process.")
        } else {
            for use in report.blockedSteps { Console.line("BLOCKED \(use)") }
        }
    }
}

/// `driftless migrate backfill`: move values kept in overflow columns into their real
/// columns, and rerun migrations' batched backfills.
struct BackfillCommand: ParsableCommand, MigratorTask {
    static let configuration = CommandConfiguration(
        commandName: "backfill",
        abstract: "Move overflow values into the columns that now exist, in batches (and rerun a revision's backfills).",
        discussion: """
            Tables: --table, else those of the app's records that keep values in an overflow column. \
            Batched, idempotent and safe while the app writes; rerun it after an interruption.
            """)

    @OptionGroup var options: MigrationOptions

    @Option(name: .long, help: ArgumentHelp("A table whose overflow values to move (repeatable; schema.table for a schema).", valueName: "table"))
    var table: [String] = []

    @Option(name: .long, help: ArgumentHelp("Rerun the backfills of this applied revision (id or prefix).", valueName: "revision"))
    var revision: String?

    @Option(name: .long, help: "The overflow column's name.")
    var overflowColumn = RecordSchema<Never>.defaultOverflowColumn

    @Option(name: .long, help: "Rows per transaction.")
    var batchSize = 1000

    func run() throws {
        try options.run(self)
    }

    func perform<Database: MigratableDatabase>(_ migrator: Migrator<Database>) throws {
        var tables = table.map { name -> TableName in
            guard let dot = name.firstIndex(of: ".") else { return TableName(name) }
            return TableName(String(name[name.index(after: dot)...]), schema: String(name[..<dot]))
        }
        if tables.isEmpty && revision == nil {
            tables = options.context.records.compactMap { $0.overflowTableName }
            guard !tables.isEmpty else {
                throw CommandLineError("no table to backfill: pass --table (or --revision), or embed the commands with records that use .keep")
            }
        }
        if let revision {
            let summary = try migrator.rerunBackfills(of: revision) { event in
                if case .backfilled(let step, let table, let rows, let batches) = event {
                    Console.line("backfill \(step.revision.id) \(table): \(rows) row(s) in \(batches) batch(es)")
                }
            }
            Console.line("Backfills of \(revision): \(summary) row(s) updated.")
        }
        for table in tables {
            let report = try migrator.moveOverflowValues(in: table, overflowColumn: overflowColumn, batchSize: batchSize) { report in
                Console.line("  \(report)")
            }
            Console.line("Done: \(report)")
        }
    }
}

extension Record {
    fileprivate static var overflowTableName: TableName? { schema.usesOverflow ? schema.table : nil }
}
