import DriftlessMigrations
import Testing

/// The revision graph at the scale of a long-lived app (issue 8): building it, its heads,
/// paths and target resolution over 50,000 revisions. Each was quadratic once (8,000 roots
/// took 4 s to build; an upgrade path over an 8,000-long chain 4.5 s, so 50,000 took minutes).
///
/// The bound is generous on purpose, so that a loaded machine cannot fail it: each operation
/// here takes about a second at most in a debug build with the suites running in parallel,
/// while the quadratic versions took minutes (8,000 roots: 14 s to build in debug; 50,000:
/// about 40 times that).
@Suite("Revision graph at scale")
struct RevisionGraphScaleTests {
    static let count = 50_000
    static let budget: Duration = .seconds(20)

    /// Graph shapes that stress different parts: one long chain (paths, walks), many roots
    /// (ordering, version rows), a chain of diamonds (branch points and merges), and many
    /// roots merged into one.
    enum Shape: String, CaseIterable, CustomTestStringConvertible {
        case chain, roots, diamonds, mergedRoots

        var testDescription: String { rawValue }

        /// The migrations, in an order that is not the graph's (children before parents).
        var migrations: [Migration] {
            let n = RevisionGraphScaleTests.count
            let list: [Migration] = switch self {
            case .chain:
                (0..<n).map { sqlMigration("c\($0)", parents: $0 == 0 ? [] : ["c\($0 - 1)"]) }
            case .roots:
                (0..<n).map { sqlMigration("r\($0)") }
            case .diamonds:
                // d0 → (l1 | r1) → d1 → (l2 | r2) → d2 ...
                [sqlMigration("d0")] + (1..<n / 3).flatMap { i in
                    [sqlMigration("l\(i)", parents: ["d\(i - 1)"]), sqlMigration("r\(i)", parents: ["d\(i - 1)"]),
                     sqlMigration("d\(i)", parents: ["l\(i)", "r\(i)"])]
                }
            case .mergedRoots:
                (0..<n - 1).map { sqlMigration("r\($0)") } + [sqlMigration("m", parents: (0..<n - 1).map { "r\($0)" })]
            }
            return list.reversed()
        }
    }

    @Test(arguments: Shape.allCases)
    func everyOperationIsFast(_ shape: Shape) throws {
        // Tens of megabytes: not while a cursor test measures the process's peak memory.
        try PeakMemory.withoutMeasuring { try check(shape) }
    }

    private func check(_ shape: Shape) throws {
        let migrations = shape.migrations
        var graph: RevisionGraph!
        try within("building the graph", shape) { graph = try RevisionGraph(migrations) }
        #expect(graph.migrations.count == migrations.count)

        var heads: RevisionTarget!
        try within("resolving heads", shape) { heads = try graph.resolve("heads", current: []) }
        var up: [MigrationStep] = []
        within("the upgrade path from base", shape) { up = graph.upgradePath(from: [], to: heads) }
        #expect(up.count == migrations.count)
        // Every step's parents come before it, and the rows after the last step are the heads.
        var rows: Set<String> = []
        var applied: Set<String> = []
        var parentsFirst = true
        for step in up {
            parentsFirst = parentsFirst && step.revision.parents.allSatisfy(applied.contains)
            applied.insert(step.revision.id)
            rows.subtract(step.removedVersions)
            rows.formUnion(step.addedVersions)
        }
        #expect(parentsFirst)
        #expect(graph.sorted(rows) == graph.heads)

        var down: [MigrationStep] = []
        try within("the downgrade path to base", shape) {
            down = try graph.downgradePath(from: Set(graph.heads), to: .base, named: "base")
        }
        #expect(down.count == migrations.count)
        for step in down {
            rows.subtract(step.removedVersions)
            rows.formUnion(step.addedVersions)
        }
        #expect(rows.isEmpty)

        try within("resolving targets", shape) {
            let last = graph.migrations.last!.revision.id
            #expect(try graph.resolve(last, current: []) == .revisions([last]))
            _ = try graph.stampedRows([], targets: ["heads"])
            _ = graph.history(current: Set(graph.heads))
            if shape == .roots {
                // The candidates are all there, and the message names a few of them.
                #expect {
                    try graph.resolve("r", current: [])
                } throws: { error in
                    (error as? MigrationError)?.revisions.count == Self.count && "\(error)".count < 1_000
                }
            }
            if shape == .chain {
                #expect(try graph.resolve("head", current: []) == .revisions(["c\(Self.count - 1)"]))
                #expect(try graph.resolve("+\(Self.count)", current: []) == .revisions(["c\(Self.count - 1)"]))
                #expect(try graph.resolve("-\(Self.count - 1)", current: ["c\(Self.count - 1)"]) == .revisions(["c0"]))
                #expect(try graph.resolve("c\(Self.count - 1)-\(Self.count)", current: []) == .below(["c0"]))
            }
        }
    }

    /// Runs `body` and fails if it takes longer than the budget.
    private func within(_ what: String, _ shape: Shape, _ body: () throws -> Void) rethrows {
        let started = ContinuousClock.now
        try body()
        let elapsed = ContinuousClock.now - started
        #expect(elapsed < Self.budget, "\(what) over \(Self.count) revisions (\(shape)) took \(elapsed)")
    }
}
