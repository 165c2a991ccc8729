import DriftlessMigrations
import Foundation
import Testing

/// Revision-graph behaviour Alembic users rely on: branch-relative steps, `--splice`,
/// `history -r` ranges, `--rev-id` and creation dates.
@Suite("Revision graph: Alembic habits")
struct RevisionGraphAlembicTests {
    /// a1 ← b2 (main line), a1 ← f1 ← f2 (label feat on f1).
    let graph = try! RevisionGraph([
        sqlMigration("a1"), sqlMigration("b2", parents: ["a1"]),
        sqlMigration("f1", parents: ["a1"], labels: ["feat"]), sqlMigration("f2", parents: ["f1"]),
    ])

    @Test func branchRelativeStepsFollowTheBranch() throws {
        // From the shared ancestor (or with the other branch applied), feat@+1 is the branch's first revision.
        #expect(try graph.resolve("feat@+1", current: ["a1"]) == .revisions(["f1"]))
        #expect(try graph.resolve("feat@+1", current: ["b2"]) == .revisions(["f1"]))
        #expect(try graph.resolve("feat@+2", current: ["b2"]) == .revisions(["f2"]))
        #expect(try graph.resolve("feat@+1", current: ["b2", "f1"]) == .revisions(["f2"]))
        // The upgrade path to it leaves the other branch alone.
        let path = graph.upgradePath(from: ["b2"], to: try graph.resolve("feat@+2", current: ["b2"]))
        #expect(path.map(\.revision.id) == ["f1", "f2"])
        // Down, only the branch's revisions are reverted.
        #expect(try graph.resolve("feat@-1", current: ["b2", "f2"]) == .revisions(["f1"]))
        #expect(try graph.resolve("feat@-2", current: ["b2", "f2"]) == .below(["f1"]))
        #expect(throws: MigrationError.self) { try graph.resolve("feat@+3", current: ["b2"]) }
    }

    @Test func aNewRevisionAfterANonHeadNeedsSplice() throws {
        #expect {
            try MigrationDirectory.newRevision(in: graph, message: "x", head: "a1")
        } throws: { error in
            (error as? MigrationError)?.code == .notAHead && "\(error)".contains("--splice")
        }
        let spliced = try MigrationDirectory.newRevision(in: graph, message: "x", head: "a1", splice: true)
        #expect(spliced.revision.parents == ["a1"])
        // A head needs no splice.
        #expect(try MigrationDirectory.newRevision(in: graph, message: "x", head: "f2").revision.parents == ["f2"])
    }

    @Test func revIDAndCreationDateAreWrittenAndRead() throws {
        let date = Date(timeIntervalSince1970: 1_764_668_467)  // 2025-12-02 09:41:07 UTC
        let file = try MigrationDirectory.newRevision(in: graph, message: "chosen", head: "f2", revisionID: "my_rev_1", createdAt: date)
        #expect(file.revision.id == "my_rev_1")
        #expect(file.text.contains("-- created: 2025-12-02T09:41:07Z"))
        let parsed = try MigrationFile(parsing: file.text, path: "my_rev_1.sql")
        #expect(parsed.revision.createdAt == date)
        #expect(Revision.format(date) == "2025-12-02 09:41:07 UTC")
        for bad in ["b2", "has space", "a@b", ""] {
            #expect(throws: MigrationError.self) {
                try MigrationDirectory.newRevision(in: graph, message: "x", head: "f2", revisionID: bad)
            }
        }
    }

    @Test func historyRangesAsAlembicReadsThem() throws {
        func ids(_ range: String, current: Set<String> = []) throws -> [String] {
            try graph.history(current: current, range: range).map(\.revision.id)
        }
        let all = graph.history(current: []).map(\.revision.id)
        #expect(try ids(":") == all)
        #expect(try ids("base:heads") == all)
        #expect(try ids("f1:") == ["f2", "f1"])
        #expect(try ids(":b2") == ["b2", "a1"])
        #expect(try ids("a1:f2") == ["f2", "f1", "a1"])
        #expect(try ids("-1:f2") == ["f2", "f1"])
        #expect(throws: MigrationError.self) { try ids("a1:+1") }  // +1 from a branch point is ambiguous
        #expect(try ids("f1:+1") == ["f2", "f1"])
        #expect(try ids("current:", current: ["f1"]) == ["f2", "f1"])
        #expect(try ids(":current", current: ["f1"]) == ["f1", "a1"])
        #expect(throws: MigrationError.self) { try ids("f1") }
        #expect(throws: MigrationError.self) { try ids("nope:") }
    }
}
