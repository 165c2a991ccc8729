import ArgumentParser
import DriftlessMigrations

/// `driftless migrate repair [REVISION...]`: accepts changes to applied migrations.
struct RepairCommand: ParsableCommand, MigratorTask {
    static let configuration = CommandConfiguration(
        commandName: "repair",
        abstract: "Accept changes to applied migrations: record their checksums as they are now.",
        discussion: "upgrade and check fail when a migration changed since it was applied (its checksum differs). After reviewing the change, repair records the new checksums (of the named revisions, or of every applied one), records missing ones, and forgets those of revisions that are not applied. Nothing else changes.")

    @OptionGroup var options: MigrationOptions

    @Argument(help: "The revisions whose change to accept (default: every applied one).")
    var revisions: [String] = []

    func run() throws {
        try options.run(self, readOnly: true)
    }

    func perform<Database: MigratableDatabase>(_ migrator: Migrator<Database>) throws {
        let repair = try migrator.repairChecksums(revisions)
        guard !repair.isEmpty else { return Console.line("Nothing to repair: every applied migration matches its checksum.") }
        for mismatch in repair.accepted { Console.line("Accepted the change to \(mismatch.revision) (\(mismatch.source))") }
        if !repair.recorded.isEmpty { Console.line("Recorded the checksums of \(repair.recorded.joined(separator: ", "))") }
        if !repair.forgotten.isEmpty { Console.line("Forgot the checksums of \(repair.forgotten.joined(separator: ", ")) (not applied)") }
    }
}
