import Driftless
import DriftlessMigrations
import Foundation
import Testing

/// Checks that need separate processes (the embedding test app, `DriftlessTestApp`), run on
/// each backend with a database of the test's own, named by the URL the app receives.
enum MigrationProcessCase: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case fourProcessesAutoMigratingAtOnce
    case processKilledMidMigration
    case embeddedCommandsUseTheAppsMigrationsAndRecords
    case backfillKilledMidwayResumes

    var testDescription: String { rawValue }

    static let revisions = ["app001", "app002", "app003"]

    func run<D: MigrationTestDatabase & TestDatabase>(on db: D, url: String) throws {
        let app = try builtExecutable("DriftlessTestApp")
        let folder = TemporaryDirectory().url.path  // no migrations/ folder there: Swift migrations only
        switch self {
        case .fourProcessesAutoMigratingAtOnce:
            let children = try (0..<4).map { _ in
                try ChildProcess(app, ["startup", "--database", url], environment: ["DRIFTLESS_TEST_SLOW_SECONDS": "0.5"], directory: folder)
            }
            let statuses = children.map { $0.wait() }
            #expect(statuses == [0, 0, 0, 0], "\(children.map(\.errorOutput))")
            // Each process prints what it applied: together exactly each migration once.
            let applied = children.flatMap { child in
                child.output.split(separator: "\n").filter { $0.hasPrefix("applied:") }
                    .flatMap { $0.dropFirst("applied:".count).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
            }
            #expect(applied.sorted() == Self.revisions)
            #expect(try db.strings("SELECT revision FROM applied_log ORDER BY revision") == Self.revisions)
            #expect(try db.strings("SELECT version_num FROM driftless_version") == ["app003"])

        case .processKilledMidMigration:
            let victim = try ChildProcess(app, ["startup", "--database", url], environment: ["DRIFTLESS_TEST_SLOW_SECONDS": "60"], directory: folder)
            #expect(victim.waitForError(containing: "pausing in migration"), "never reached the slow migration: \(victim.errorOutput)")
            victim.kill()
            // The slow migration's transaction died with the process: still at the revision
            // before it, with none of its changes.
            #expect(try db.strings("SELECT version_num FROM driftless_version") == ["app001"])
            #expect(try db.strings("SELECT revision FROM applied_log") == ["app001"])
            #expect(try db.schemaDump().contains { $0.contains("note") } == false)
            // A rerun completes.
            let rerun = try ChildProcess(app, ["startup", "--database", url], directory: folder)
            #expect(rerun.wait() == 0, "\(rerun.errorOutput)")
            #expect(rerun.output.contains("applied: app002,app003"))
            #expect(try db.strings("SELECT version_num FROM driftless_version") == ["app003"])
            #expect(try db.strings("SELECT revision FROM applied_log ORDER BY revision") == Self.revisions)
            #expect(try db.strings("SELECT note FROM items") == ["seeded"])

        case .backfillKilledMidwayResumes:
            // Overflow values of 4,000 rows, moved one row per transaction by the CLI, which is
            // killed (SIGKILL) as soon as it reports progress.
            try OverflowConformance.createTickets(in: db)
            var random = PropertyRandom.forSuite("backfill killed")
            let written = (1...4000).map { Ticket.generated(id: Int64($0), using: &random, sqlite: db.isSQLite) }
            try db.blocking.repository(Ticket.self).insert(contentsOf: written)
            try OverflowConformance.addKeptColumns(in: db)
            let arguments = ["migrate", "backfill", "--table", "tickets", "--batch-size", "1", "--database", url]
            let victim = try ChildProcess(app, arguments, directory: folder)
            #expect(victim.waitForOutput(containing: " in 50 batch(es)"), "no progress: \(victim.output) \(victim.errorOutput)")
            victim.kill()
            // Every row moved whole or not at all: its keys are all in the overflow, or none.
            let keys = try OverflowConformance.overflowKeyCount(in: db)
            let left = Int(try db.strings("SELECT COUNT(*) FROM tickets WHERE count IS NULL").first ?? "") ?? -1
            #expect(left > 0 && left < written.count, "killed too late or too early: \(left) rows left")
            #expect(keys == left * Ticket.keptColumns.count)
            let rerun = try runProcess(app, arguments, directory: folder)
            #expect(rerun.status == 0 && rerun.output.contains("Done: tickets: moved \(keys) value(s) of \(left) row(s)"), "\(rerun)")
            #expect(try OverflowConformance.overflowKeyCount(in: db) == 0)
            db.invalidateSchema()
            let stored = try db.blocking.repository(PlainTicket.self).fetchAll(PlainTicket.order(.ascending(\.ticket.id))).map(\.ticket)
            #expect(stored.count == written.count)
            #expect(zip(stored, written).filter { !$0.matches($1, sqliteReal: db.isSQLite) }.map(\.0.id) == [])
            print("backfill killed mid-run (\(D.self)): \(written.count - left) of \(written.count) rows moved before SIGKILL; the rerun moved \(keys) values of \(left) rows")

        case .embeddedCommandsUseTheAppsMigrationsAndRecords:
            let directory = TemporaryDirectory().path("migrations")
            func migrate(_ arguments: String...) throws -> (status: Int32, output: String, error: String) {
                try runProcess(app, ["migrate"] + arguments + ["--database", url, "--directory", directory], directory: folder)
            }
            let upgrade = try migrate("upgrade")
            #expect(upgrade.status == 0 && upgrade.output.contains("Upgraded 3 migration(s)"), "\(upgrade.error)")
            // The record declares `tag`, which no migration adds.
            let drift = try migrate("check")
            #expect(drift.status == 1 && drift.output.contains("FAIL drift:") && drift.output.contains("tag"), "\(drift)")
            let draft = try migrate("revision", "--autogenerate", "-m", "add tag")
            #expect(draft.status == 0 && draft.output.contains("Detected"), "\(draft.error)")
            let files = try FileManager.default.contentsOfDirectory(atPath: directory)
            let text = try String(contentsOfFile: directory + "/" + (files.first ?? ""), encoding: .utf8)
            #expect(text.contains("-- parents: app003") && text.contains("\"tag\""), "\(text)")
            #expect(text.contains(#"CREATE INDEX "items_tag" ON "items" ("tag");"#), "\(text)")
            #expect(text.contains(#"DROP INDEX "items_tag";"#), "\(text)")
            #expect(try migrate("upgrade").status == 0)
            let clean = try migrate("check")
            #expect(clean.status == 0 && clean.output.contains("1 record type(s) match the schema"), "\(clean)")
            #expect(try db.strings("SELECT tag FROM items") == ["none"])
            let nothing = try migrate("revision", "--autogenerate", "-m", "nothing")
            #expect(nothing.status == 0 && nothing.output.contains("no revision written"))
        }
    }
}
