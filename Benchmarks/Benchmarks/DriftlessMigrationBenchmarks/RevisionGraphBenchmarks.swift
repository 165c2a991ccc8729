import Benchmark
import DriftlessMigrations

// The revision graph of a long-lived app (issue 8): 50,000 revisions in three shapes, built
// outside the measurement where a benchmark measures paths.
//   Build     RevisionGraph(migrations): validation, ordering, heads
//   Upgrade   the upgrade path from base to every head
//   Downgrade the downgrade path from every head to base
// Shapes: one chain; 50,000 roots; a chain of diamonds (branch point, two revisions, merge).

let revisionCount = 50_000

func migration(_ id: String, _ parents: [String] = []) -> Migration {
    Migration(revision: Revision(id: id, message: "revision \(id)", parents: parents),
              upgrade: [.script("SELECT 1")], downgrade: [.script("SELECT 1")])
}

/// The migrations of a shape, children before parents (the graph orders them).
func migrations(_ shape: String) -> [Migration] {
    let list: [Migration] = switch shape {
    case "chain": (0..<revisionCount).map { migration("c\($0)", $0 == 0 ? [] : ["c\($0 - 1)"]) }
    case "roots": (0..<revisionCount).map { migration("r\($0)") }
    default:
        [migration("d0")] + (1..<revisionCount / 3).flatMap { i in
            [migration("l\(i)", ["d\(i - 1)"]), migration("r\(i)", ["d\(i - 1)"]), migration("d\(i)", ["l\(i)", "r\(i)"])]
        }
    }
    return list.reversed()
}

let configuration = Benchmark.Configuration(
    metrics: [.wallClock, .mallocCountTotal], timeUnits: .milliseconds, warmupIterations: 1,
    scalingFactor: .one, maxDuration: .seconds(5), maxIterations: 20)

let benchmarks: @Sendable () -> Void = {
    for shape in ["chain", "roots", "diamonds"] {
        let input = migrations(shape)
        let graph = try! RevisionGraph(input)
        let heads = try! graph.resolve("heads", current: [])
        Benchmark("Build/\(shape)", configuration: configuration) { benchmark in
            for _ in benchmark.scaledIterations { blackHole(try RevisionGraph(input)) }
        }
        Benchmark("Upgrade/\(shape)", configuration: configuration) { benchmark in
            for _ in benchmark.scaledIterations { blackHole(graph.upgradePath(from: [], to: heads)) }
        }
        Benchmark("Downgrade/\(shape)", configuration: configuration) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try graph.downgradePath(from: Set(graph.heads), to: .base, named: "base"))
            }
        }
    }
}
