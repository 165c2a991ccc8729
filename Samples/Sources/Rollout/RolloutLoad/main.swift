// The rollout's load tool: `RolloutLoad --control DIR [--workers 8] [--rate 200] [--check]`.
//
// A steady, bounded mix of reads and writes (create, read, list, update, search of users and
// posts) sent round-robin to the processes listed in DIR/ports, tagged with the phase in
// DIR/phase. Requests a stopping process did not accept go to another process and are counted
// apart. When DIR/stop appears it reads back every acknowledged write, times catch-up from the
// status samples, prints the figures (markdown) and writes DIR/result.json. With --check it
// exits 1 when a target is missed: a failed request, a lost or changed write, catch-up slower
// than --max-catch-up-ms.
import Foundation

var options: [String: String] = [:]
var flags: Set<String> = []
do {
    var iterator = CommandLine.arguments.dropFirst().makeIterator()
    while let argument = iterator.next() {
        guard argument.hasPrefix("--") else { continue }
        let name = String(argument.dropFirst(2))
        if ["check"].contains(name) { flags.insert(name) } else { options[name] = iterator.next() }
    }
}
guard let folder = options["control"] else {
    FileHandle.standardError.write(Data("usage: RolloutLoad --control DIR [--workers N] [--rate R] [--check]\n".utf8))
    exit(2)
}
let workerCount = Int(options["workers"] ?? "") ?? 8
let rate = Double(options["rate"] ?? "") ?? 200
let maxCatchUpMs = Int64(options["max-catch-up-ms"] ?? "") ?? 1000
let label = options["label"] ?? "rollout"
let control = Control(folder: folder)
let statistics = Statistics()
let poller = StatusPoller(control: control, intervalMs: Int(options["status-interval-ms"] ?? "") ?? 20)

func start(_ name: String, _ body: @escaping @Sendable () -> Void) -> Thread {
    let thread = Thread(block: body)
    thread.name = name
    thread.start()
    return thread
}

let done = DispatchSemaphore(value: 0)
let controlThread = start("control") {
    while !control.stopRequested {
        control.refresh()
        Thread.sleep(forTimeInterval: 0.02)
    }
    control.refresh()
}
let workers = (0..<workerCount).map { index in
    Worker(index: index, count: workerCount, control: control, statistics: statistics,
           interval: Double(workerCount) / rate, seed: UInt64(options["seed"] ?? "") ?? 14)
}
let group = DispatchGroup()
for worker in workers {
    group.enter()
    _ = start("worker \(worker.index)") { worker.run(); group.leave() }
}
group.enter()
_ = start("status") { poller.run(); group.leave() }
group.wait()

// MARK: Read back every acknowledged write.

var checkedUsers = 0, checkedPosts = 0, uncertain = 0, lost: [String] = [], changed: [String] = []
var earlyPlans = 0
let reader = Client(control: control)
for worker in workers {
    for (id, expected) in worker.users.sorted(by: { $0.key < $1.key }) {
        if expected.uncertain { uncertain += 1; continue }
        checkedUsers += 1
        if expected.planWrittenEarly { earlyPlans += 1 }
        let (response, _, failure) = reader.send("GET", "/users/\(id)")
        guard let response, response.status == 200 else {
            lost.append("user \(id): \(failure ?? "HTTP \(response!.status)")")
            continue
        }
        if let problem = Worker.difference(response, expected) { changed.append("user \(id): \(problem)") }
    }
    for (id, expected) in worker.posts.sorted(by: { $0.key < $1.key }) {
        checkedPosts += 1
        let (response, _, failure) = reader.send("GET", "/posts/\(id)")
        guard let response, response.status == 200 else {
            lost.append("post \(id): \(failure ?? "HTTP \(response!.status)")")
            continue
        }
        if (try? JSONDecoder().decode(PostBody.self, from: Data(response.body))) != expected { changed.append("post \(id)") }
    }
}

// MARK: Catch-up: from each migrating call's start (an upper bound on its commit) to the last
// drifted process serving full plans.

struct CatchUp: Codable {
    var event: String
    var atMs: Int64
    var driftedProcesses: Int
    /// From the commit to the last drifted process's first status showing full plans.
    var catchUpMs: Int64?
    /// From the commit to the last process's first status with a new schema generation.
    var replanMs: Int64?
}

let samples = poller.samples
var migrationEvents: [(ms: Int64, text: String)] = []
var seen: Set<Int> = []
for sample in samples where !sample.status.migrationsApplied.filter({ $0 != "a1f0c0de0001" }).isEmpty {
    guard !seen.contains(sample.port), let ms = sample.status.migrationStartedMs else { continue }
    seen.insert(sample.port)
    migrationEvents.append((ms, "startup call of \(sample.status.release) :\(sample.port) applied "
        + sample.status.migrationsApplied.joined(separator: ",")))
}
for event in control.events() where event.text.hasPrefix("migrated ") { migrationEvents.append(event) }
var catchUps: [CatchUp] = []
for event in migrationEvents.sorted(by: { $0.ms < $1.ms }) {
    let byPort = Dictionary(grouping: samples, by: \.port)
    var drifted = 0
    var catchUp: Int64?
    var replan: Int64?
    for (_, portSamples) in byPort {
        guard let before = portSamples.last(where: { $0.ms < event.ms }),
              portSamples.contains(where: { $0.ms >= event.ms }) else { continue }
        let after = portSamples.filter { $0.ms >= event.ms }
        if !before.allFull {
            drifted += 1
            let full = after.first(where: \.allFull).map { $0.ms - event.ms } ?? Int64.max
            catchUp = max(catchUp ?? 0, full)
        }
        if let changedAt = after.first(where: { $0.generation != before.generation }) {
            replan = max(replan ?? 0, changedAt.ms - event.ms)
        }
    }
    catchUps.append(CatchUp(event: event.text, atMs: event.ms, driftedProcesses: drifted, catchUpMs: catchUp, replanMs: replan))
}

// MARK: Report.

let phases = statistics.snapshot()
let order = control.phases.filter { phases[$0] != nil }
func ms(_ value: Double) -> String { value.isNaN ? "–" : String(format: "%.1f", value) }
var report = "### \(label)\n\n"
report += "| phase | requests | reads | writes | failed | retried (not accepted) | wrong values | failing for | p50 ms | p99 ms |\n"
report += "|---|---|---|---|---|---|---|---|---|---|\n"
var totals = Statistics.Phase()
for name in order {
    let phase = phases[name]!
    let sorted = phase.latenciesMs.sorted()
    let window = phase.firstFailureMs.map { String(format: "%.1f s", Double(phase.lastFailureMs! - $0) / 1000) } ?? "–"
    report += "| \(name) | \(phase.requests) | \(phase.reads) | \(phase.writes) | \(phase.failed) | \(phase.retriedNotAccepted) | \(phase.wrongValues) | \(window) | \(ms(percentile(sorted, 0.5))) | \(ms(percentile(sorted, 0.99))) |\n"
    totals.requests += phase.requests
    totals.reads += phase.reads
    totals.writes += phase.writes
    totals.failed += phase.failed
    totals.retriedNotAccepted += phase.retriedNotAccepted
    totals.wrongValues += phase.wrongValues
}
report += "| **all** | \(totals.requests) | \(totals.reads) | \(totals.writes) | \(totals.failed) | \(totals.retriedNotAccepted) | \(totals.wrongValues) | | | |\n\n"
report += "Acknowledged writes read back at the end: \(checkedUsers) users and \(checkedPosts) posts; "
report += "**\(lost.count) lost**, **\(changed.count) with a different value**; \(uncertain) users left out (a write of theirs failed). "
report += "\(earlyPlans) of the users checked hold a plan last written by v2 before the expand migration ran.\n\n"
report += "| migration | call began | drifted processes | catch-up to full plans | every process re-planned |\n|---|---|---|---|---|\n"
let firstMs = samples.first?.ms ?? 0
for c in catchUps {
    let catchUp = c.catchUpMs.map { $0 == Int64.max ? "never" : "\($0) ms" } ?? "– (none drifted)"
    report += "| \(c.event) | t+\(String(format: "%.1f", Double(c.atMs - firstMs) / 1000)) s | \(c.driftedProcesses) | \(catchUp) | \(c.replanMs.map { "\($0) ms" } ?? "–") |\n"
}
for name in order where !(phases[name]!.failureSamples.isEmpty) {
    report += "\nfirst failures in \(name):\n" + phases[name]!.failureSamples.map { "    " + $0 }.joined(separator: "\n") + "\n"
}
for line in (lost + changed).prefix(10) { report += "\n    \(line)" }
FileHandle.standardOutput.write(Data((report + "\n").utf8))

struct Result: Codable {
    var label: String
    var phases: [String: Statistics.Phase]
    var order: [String]
    var checkedUsers: Int
    var checkedPosts: Int
    var lost: [String]
    var changed: [String]
    var catchUps: [CatchUp]
}
var result = Result(label: label, phases: phases, order: order, checkedUsers: checkedUsers, checkedPosts: checkedPosts,
                    lost: lost, changed: changed, catchUps: catchUps)
for key in result.phases.keys { result.phases[key]!.latenciesMs = [] }
try? JSONEncoder().encode(result).write(to: URL(fileURLWithPath: folder).appendingPathComponent("result.json"))
try? report.write(toFile: folder + "/report.md", atomically: true, encoding: .utf8)

if flags.contains("check") {
    var missed: [String] = []
    if totals.failed > 0 { missed.append("\(totals.failed) failed request(s)") }
    if totals.wrongValues > 0 { missed.append("\(totals.wrongValues) wrong value(s) read") }
    if !lost.isEmpty || !changed.isEmpty { missed.append("\(lost.count) lost and \(changed.count) changed write(s)") }
    if checkedUsers == 0 { missed.append("no write was acknowledged") }
    for c in catchUps { if let ms = c.catchUpMs, ms > maxCatchUpMs { missed.append("catch-up after \(c.event): \(ms) ms > \(maxCatchUpMs) ms") } }
    if !missed.isEmpty {
        print("TARGETS MISSED: " + missed.joined(separator: "; "))
        exit(1)
    }
    print("targets met")
}
