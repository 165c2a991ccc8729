import DriftlessPostgres
import Foundation
import Testing

/// A program this package builds (`driftless`, `DriftlessTestApp`), beside the test bundle.
func builtExecutable(_ name: String) throws -> String {
    let testBinary = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    var folder = URL(fileURLWithPath: testBinary).deletingLastPathComponent()
    // On Linux the test binary is .build/debug/DriftlessPackageTests.xctest itself.
    if folder.lastPathComponent.hasSuffix(".xctest") { folder = folder.deletingLastPathComponent() }
    let path = folder.appendingPathComponent(name).path
    guard FileManager.default.isExecutableFile(atPath: path) else {
        throw ProcessTestError("\(path) is not built (swift build builds it with the tests)")
    }
    return path
}

struct ProcessTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A child process whose output goes to files, so that nothing blocks on a full pipe and a
/// test can watch its progress.
final class ChildProcess {
    let process = Process()
    private let outputPath: String
    private let errorPath: String

    init(_ executable: String, _ arguments: [String], environment: [String: String] = [:], directory: String? = nil) throws {
        let folder = TemporaryDirectory()
        outputPath = folder.path("stdout")
        errorPath = folder.path("stderr")
        guard FileManager.default.createFile(atPath: outputPath, contents: nil),
              FileManager.default.createFile(atPath: errorPath, contents: nil)
        else { throw ProcessTestError("cannot create output files in \(folder.url.path)") }
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.standardOutput = FileHandle(forWritingAtPath: outputPath)
        process.standardError = FileHandle(forWritingAtPath: errorPath)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }
    var errorOutput: String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }

    /// Waits for the process to exit and returns its status.
    @discardableResult
    func wait() -> Int32 {
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Waits until the process writes `marker` to stderr; false if it exits or time runs out.
    func waitForError(containing marker: String, timeout: Duration = .seconds(60)) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if errorOutput.contains(marker) { return true }
            if !process.isRunning { return errorOutput.contains(marker) }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return false
    }

    /// Waits until the process writes `marker` to stdout; false if it exits or time runs out.
    func waitForOutput(containing marker: String, timeout: Duration = .seconds(60)) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if output.contains(marker) { return true }
            if !process.isRunning { return output.contains(marker) }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return false
    }

    func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

/// The path of a command-line tool on `PATH` (`sqlite3`, `psql`).
func toolPath(_ name: String) throws -> String {
    let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
    guard let path = folders.map({ "\($0)/\(name)" }).first(where: FileManager.default.isExecutableFile) else {
        throw ProcessTestError("\(name) is not installed (CI installs it; see .ci/run)")
    }
    return path
}

/// Runs a script through the `sqlite3` tool on a database file, stopping at the first error.
@discardableResult
func sqlite3(_ path: String, _ script: String) throws -> (status: Int32, output: String, error: String) {
    try runProcess(try toolPath("sqlite3"), ["-bail", path], input: script)
}

/// Runs a script through `psql` on the database a configuration names, stopping at the
/// first error.
@discardableResult
func psql(_ configuration: PostgresConfiguration, _ script: String) throws -> (status: Int32, output: String, error: String) {
    let parameters = configuration.parameters.map { "\($0.keyword)=\($0.value)" }.joined(separator: " ")
    return try runProcess(try toolPath("psql"), ["-X", "-q", "-v", "ON_ERROR_STOP=1", parameters], input: script)
}
