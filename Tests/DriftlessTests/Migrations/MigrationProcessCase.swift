import Driftless
import DriftlessMigrations
import Foundation
import Testing

/// Checks that need separate processes (the embedding test app, `DriftlessTestApp`), run on
/// each backend with a database of the test's own, named by the URL the app receives.
enum MigrationProcessCase: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case fourProcessesAutoMigratingAtOnce
    case processKilledMidMigration

    var testDescription: String { rawValue }

    static let revisions = ["app001", "app002", "app003"]

    func run<D: MigrationTestDatabase>(on db: D, url: String) throws {
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
        }
    }
}
