import DriftlessMigrations
import DriftlessSQLite
import DriftlessSQLiteMigrations
import Testing

@Suite("Revision graph")
struct RevisionGraphTests {
    /// base → a → b → (c | d) → m (merge of c and d) → e
    static let diamond = [
        sqlMigration("aaa111"), sqlMigration("bbb222", parents: ["aaa111"]),
        sqlMigration("ccc333", parents: ["bbb222"]), sqlMigration("ddd444", parents: ["bbb222"]),
        sqlMigration("mmm555", parents: ["ccc333", "ddd444"]), sqlMigration("eee666", parents: ["mmm555"]),
    ]

    @Test func linearGraphOrdersParentsFirstWhateverTheInputOrder() throws {
        let graph = try RevisionGraph(Array(SampleHistory.migrations(.sqlite).reversed()))
        #expect(graph.revisions.map(\.id) == ["a1", "b2", "c3", "d4", "e5"])
        #expect(graph.heads == ["e5"])
        #expect(graph.bases == ["a1"])
        #expect(graph.branchPoints.isEmpty)
    }

    @Test func branchesAndMerges() throws {
        let graph = try RevisionGraph(Self.diamond)
        #expect(graph.heads == ["eee666"])
        #expect(graph.branchPoints == ["bbb222"])
        #expect(graph.children(of: "bbb222") == ["ccc333", "ddd444"])
        let open = try RevisionGraph(Array(Self.diamond.prefix(4)))
        #expect(open.heads == ["ccc333", "ddd444"])
    }

    @Test func upgradeRowsFollowAlembic() throws {
        let graph = try RevisionGraph(Self.diamond)
        let steps = graph.upgradePath(from: [], to: try graph.resolve("heads", current: []))
        #expect(steps.map(\.revision.id) == ["aaa111", "bbb222", "ccc333", "ddd444", "mmm555", "eee666"])
        // One row per applied head: a branch adds a row, the merge replaces two rows by one.
        #expect(graph.rows(after: steps, from: []) == [
            ["aaa111"], ["bbb222"], ["ccc333"], ["ccc333", "ddd444"], ["mmm555"], ["eee666"],
        ])
    }

    @Test func downgradeToARevisionRevertsOnlyWhatFollowsIt() throws {
        let graph = try RevisionGraph(Self.diamond)
        // Down to ccc333 from the top: the merge and what follows go; ddd444 (another branch) stays.
        let steps = try graph.downgradePath(from: ["eee666"], to: graph.resolve("ccc333", current: ["eee666"]), named: "ccc333")
        #expect(steps.map(\.revision.id) == ["eee666", "mmm555"])
        #expect(graph.rows(after: steps, from: ["eee666"]).last == ["ccc333", "ddd444"])
        // Down to base reverts everything, children first.
        let all = try graph.downgradePath(from: ["eee666"], to: .base, named: "base")
        #expect(all.map(\.revision.id) == ["eee666", "mmm555", "ddd444", "ccc333", "bbb222", "aaa111"])
        #expect(graph.rows(after: all, from: ["eee666"]).last == [])
    }

    @Test func downgradeToARevisionNotAppliedIsAnError() throws {
        let graph = try RevisionGraph(Self.diamond)
        #expect {
            try graph.downgradePath(from: ["ccc333"], to: graph.resolve("ddd444", current: ["ccc333"]), named: "ddd444")
        } throws: { error in
            guard let error = error as? MigrationError, error.code == .notApplied else { return false }
            return error.target == "ddd444" && error.revisions == ["ddd444"]
        }
    }

    @Test func targets() throws {
        let graph = try RevisionGraph(Self.diamond)
        #expect(try graph.resolve("base", current: []) == .base)
        #expect(try graph.resolve("head", current: []) == .revisions(["eee666"]))
        #expect(try graph.resolve("heads", current: []) == .revisions(["eee666"]))
        #expect(try graph.resolve("ccc", current: []) == .revisions(["ccc333"]))
        #expect(try graph.resolve("ccc333", current: []) == .revisions(["ccc333"]))
        #expect(try graph.resolve("+2", current: []) == .revisions(["bbb222"]))
        #expect(try graph.resolve("+1", current: ["aaa111"]) == .revisions(["bbb222"]))
        #expect(try graph.resolve("-1", current: ["bbb222"]) == .revisions(["aaa111"]))
        #expect(try graph.resolve("-1", current: ["aaa111"]) == .below(["aaa111"]))
        #expect(try graph.resolve("mmm+1", current: []) == .revisions(["eee666"]))
        #expect(try graph.resolve("eee666-1", current: []) == .revisions(["mmm555"]))
    }

    @Test func relativeTargetsThatMeetABranchNameTheChoices() throws {
        let graph = try RevisionGraph(Self.diamond)
        #expect {
            try graph.resolve("+1", current: ["bbb222"])
        } throws: { error in
            "\(error)".contains("ccc333, ddd444") && "\(error)".contains("+1")
        }
        #expect {
            try graph.resolve("-1", current: ["mmm555"])
        } throws: { error in
            "\(error)".contains("merge of ccc333, ddd444")
        }
        #expect {
            try graph.resolve("+1", current: ["ccc333", "ddd444"])
        } throws: { error in
            "\(error)".contains("several revisions (ccc333, ddd444)")
        }
        #expect(throws: MigrationError.self) { try graph.resolve("+9", current: []) }
        #expect(throws: MigrationError.self) { try graph.resolve("-3", current: ["bbb222"]) }
    }

    @Test func headWithSeveralHeadsNamesThemAndSaysWhatToDo() throws {
        let graph = try RevisionGraph(Array(Self.diamond.prefix(4)))
        #expect {
            try graph.resolve("head", current: [])
        } throws: { error in
            guard let error = error as? MigrationError, error.code == .multipleHeads else { return false }
            let message = "\(error)"
            return error.target == "head" && error.revisions == ["ccc333", "ddd444"]
                && message.contains("merge") && message.contains("heads") && message.contains("@head")
        }
    }

    @Test func ambiguousPrefixNamesTheCandidates() throws {
        let graph = try RevisionGraph([sqlMigration("abc1"), sqlMigration("abc2", parents: ["abc1"])])
        #expect {
            try graph.resolve("abc", current: [])
        } throws: { error in
            guard let error = error as? MigrationError, error.code == .ambiguousRevision else { return false }
            return error.target == "abc" && error.revisions == ["abc1", "abc2"]
        }
        #expect {
            try graph.resolve("zzz", current: [])
        } throws: { error in
            let error = error as? MigrationError
            return error?.code == .unknownRevision && error?.target == "zzz"
        }
    }

    @Test func branchLabels() throws {
        // root → (billing: b1 → b2) and (search: s1)
        let graph = try RevisionGraph([
            sqlMigration("root"),
            sqlMigration("b1", parents: ["root"], labels: ["billing"]), sqlMigration("b2", parents: ["b1"]),
            sqlMigration("s1", parents: ["root"], labels: ["search"]),
        ])
        #expect(try graph.members(ofBranch: "billing") == ["b1", "b2"])
        #expect(try graph.resolve("billing@head", current: []) == .revisions(["b2"]))
        #expect(try graph.resolve("billing", current: []) == .revisions(["b2"]))
        #expect(try graph.resolve("billing@base", current: []) == .below(["b1"]))
        #expect(try graph.resolve("billing@-1", current: ["b2", "s1"]) == .revisions(["b1"]))
        // Downgrading billing to its base leaves search alone.
        let steps = try graph.downgradePath(from: ["b2", "s1"], to: .below(["b1"]), named: "billing@base")
        #expect(steps.map(\.revision.id) == ["b2", "b1"])
        #expect(graph.rows(after: steps, from: ["b2", "s1"]).last == ["s1"])
        #expect(throws: MigrationError.self) { try graph.resolve("nothing@head", current: []) }
    }

    @Test func dependenciesAreAppliedFirstAndRevertedLast() throws {
        // Two roots; x2 depends on y1 of the other branch.
        let graph = try RevisionGraph([
            sqlMigration("x1"), sqlMigration("x2", parents: ["x1"], dependsOn: ["y1"]), sqlMigration("y1"),
        ])
        let up = graph.upgradePath(from: [], to: .revisions(["x2"]))
        #expect(up.map(\.revision.id) == ["x1", "y1", "x2"])
        // A dependency is not a parent: its row stays.
        #expect(graph.rows(after: up, from: []).last == ["y1", "x2"])
        let down = try graph.downgradePath(from: ["x2", "y1"], to: .below(["y1"]), named: "y1-1")
        #expect(down.map(\.revision.id) == ["x2", "y1"])
        #expect(graph.rows(after: down, from: ["x2", "y1"]).last == ["x1"])
    }

    @Test func stampReplacesTheRowOnItsOwnLine() throws {
        let graph = try RevisionGraph(Array(Self.diamond.prefix(4)))
        #expect(try graph.stampedRows(["ccc333"], targets: ["ddd444"]) == ["ccc333", "ddd444"])
        #expect(try graph.stampedRows(["ccc333", "ddd444"], targets: ["bbb222"]) == ["bbb222"])
        #expect(try graph.stampedRows(["aaa111"], targets: ["heads"]) == ["ccc333", "ddd444"])
        #expect(try graph.stampedRows(["ccc333"], targets: ["base"]) == [])
    }

    @Test func invalidGraphsAreTypedErrorsNamingTheRevisions() {
        #expect {
            try RevisionGraph([sqlMigration("a"), sqlMigration("a")])
        } throws: { error in
            let error = error as? MigrationError
            return error?.code == .duplicateRevision && error?.revision == "a" && error?.related == ["Swift", "Swift"]
        }
        #expect {
            try RevisionGraph([sqlMigration("a", parents: ["ghost"])])
        } throws: { error in
            let error = error as? MigrationError
            return error?.code == .unknownParent && error?.revision == "a" && error?.revisions == ["ghost"]
        }
        #expect {
            try RevisionGraph([sqlMigration("a", dependsOn: ["ghost"])])
        } throws: { error in
            let error = error as? MigrationError
            return error?.code == .unknownDependency && error?.revision == "a" && error?.revisions == ["ghost"]
        }
        #expect {
            try RevisionGraph([sqlMigration("r"), sqlMigration("a", parents: ["r", "c"]), sqlMigration("b", parents: ["a"]),
                               sqlMigration("c", parents: ["b"])])
        } throws: { error in
            guard let error = error as? MigrationError, error.code == .cycle else { return false }
            let path = error.revisions
            return Set(path) == ["a", "b", "c"] && path.first == path.last && path.count == 4
        }
        #expect {
            try RevisionGraph([sqlMigration("bad-id")])
        } throws: { error in
            let error = error as? MigrationError
            return error?.code == .invalidRevisionID && error?.revision == "bad-id"
        }
        // No whitespace or control character either: it would end a header line or a comment.
        for id in ["a\u{0B}b", "a\u{2028}b", "a\u{85}b", "a\u{0}b", "a\u{A0}b"] {
            #expect {
                try RevisionGraph([sqlMigration(id)])
            } throws: { error in
                (error as? MigrationError)?.code == .invalidRevisionID && !"\(error)".unicodeScalars.contains { $0.value < 0x20 }
            }
        }
        #expect {
            try RevisionGraph([sqlMigration("a", labels: ["x"]), sqlMigration("b", parents: ["a"], labels: ["x"])])
        } throws: { error in
            let error = error as? MigrationError
            return error?.code == .duplicateBranchLabel && error?.target == "x"
        }
    }

    @Test func historyMarksTheCurrentRevision() throws {
        let graph = try RevisionGraph(Self.diamond)
        let history = graph.history(current: ["ccc333"])
        #expect(history.first?.revision.id == "eee666")
        #expect(history.filter(\.isCurrent).map(\.revision.id) == ["ccc333"])
        #expect(Set(history.filter(\.isApplied).map(\.revision.id)) == ["aaa111", "bbb222", "ccc333"])
        #expect(history.first { $0.revision.id == "mmm555" }?.markers == "mergepoint")
        #expect(history.first { $0.revision.id == "bbb222" }?.markers == "branchpoint")
    }
}

extension RevisionGraph {
    /// The version rows after each step of a path that starts at `start`, in graph order.
    func rows(after steps: [MigrationStep], from start: Set<String>) -> [[String]] {
        var rows = start
        return steps.map { step in
            rows = step.versions(after: rows)
            return sorted(rows)
        }
    }
}
