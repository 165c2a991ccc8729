import Driftless
import DriftlessPostgres
import Foundation
import Synchronization
import Testing

/// A PostgreSQL server for the tests: `DRIFTLESS_POSTGRES_URL` if set, else a throwaway
/// server started once per test process (`initdb` into a temporary folder, Unix socket only,
/// `fsync=off`, trust authentication) and stopped when the process exits.
///
/// With `DRIFTLESS_REQUIRE_POSTGRES=1`, a server that cannot be had fails every test that
/// needs it instead of skipping it. Tests get a database of their own from
/// ``PostgresFixture``; the user of `DRIFTLESS_POSTGRES_URL` needs the CREATEDB privilege.
enum TestPostgres {
    /// The base URL of the server, or why there is none.
    static let server: Result<String, TestServerError> = {
        if let url = ProcessInfo.processInfo.environment["DRIFTLESS_POSTGRES_URL"], !url.isEmpty {
            return .success(url)
        }
        return Result { try ThrowawayServer.start().url }.mapError { $0 as? TestServerError ?? TestServerError(String(describing: $0)) }
    }()

    static var isRequired: Bool { ProcessInfo.processInfo.environment["DRIFTLESS_REQUIRE_POSTGRES"] == "1" }

    /// Whether tests needing a server run: when one is available, or when one is required
    /// (they then fail with the reason).
    static var isEnabled: Bool {
        if case .success = server { return true }
        return isRequired
    }

    /// Why the PostgreSQL tests are skipped, shown in the test report.
    static var skipReason: Comment {
        guard case .failure(let error) = server else { return "a PostgreSQL server is available" }
        return Comment(rawValue: "PostgreSQL tests skipped: \(error.description) (DRIFTLESS_REQUIRE_POSTGRES=1 makes this a failure)")
    }

    static func url() throws -> String {
        try server.get()
    }

    /// Whether the server is one given by `DRIFTLESS_POSTGRES_URL` rather than the throwaway one.
    static var isExternal: Bool {
        !(ProcessInfo.processInfo.environment["DRIFTLESS_POSTGRES_URL"] ?? "").isEmpty
    }
}

struct TestServerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A throwaway PostgreSQL server: `initdb` into a temporary folder, Unix socket only,
/// `fsync=off`, trust authentication, stopped and removed when the test process exits. The
/// shared test server is one; a test that restarts its server starts one of its own.
struct ThrowawayServer: Sendable {
    /// A `postgresql://` URL of the server's `postgres` database.
    let url: String
    private let data: String
    private let binaries: String

    /// The commands (and folders to remove) that stop every server started, run at exit.
    private static let stopCommands = Mutex<[(command: [String], folder: String)]>([])

    /// Whether a server can be started here (the server binaries are installed).
    static var isAvailable: Bool { (try? binDirectory()) != nil }

    static func start() throws -> ThrowawayServer {
        let binaries = try binDirectory()
        let base = FileManager.default.temporaryDirectory
            .appendingPathComponent("driftless-pg-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))")
        let data = base.appendingPathComponent("data").path
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        if isRoot { try run("/bin/chown", ["-R", "postgres:postgres", base.path]) }
        try asServerUser(binaries, "initdb", ["-D", data, "--auth=trust", "-U", "postgres", "-E", "UTF8", "--locale=C",
                                              "--no-sync", "--no-instructions"])
        let port = Int.random(in: 20000...60000)
        let options = "-c fsync=off -c listen_addresses='' -k \(base.path) -p \(port) -c max_connections=200"
            + " -c synchronous_commit=off -c full_page_writes=off"
        try asServerUser(binaries, "pg_ctl", ["-D", data, "-o", options, "-l", base.path + "/server.log", "-w", "-t", "30", "start"])
        var stop = [binaries + "/pg_ctl", "-D", data, "-m", "immediate", "stop"]
        if isRoot { stop = ["/usr/sbin/runuser", "-u", "postgres", "--"] + stop }
        let first = stopCommands.withLock { commands in
            commands.append((stop, base.path))
            return commands.count == 1
        }
        if first {
            atexit {
                for (command, folder) in ThrowawayServer.stopCommands.withLock({ $0 }) {
                    try? ThrowawayServer.run(command[0], Array(command[1...]))
                    try? FileManager.default.removeItem(atPath: folder)
                }
            }
        }
        return ThrowawayServer(url: "postgresql://postgres@/postgres?host=\(base.path)&port=\(port)",
                               data: data, binaries: binaries)
    }

    /// Restarts the server (`pg_ctl restart -m fast`): every connection to it is closed.
    func restart() throws {
        let log = (data as NSString).deletingLastPathComponent + "/server.log"
        try Self.asServerUser(binaries, "pg_ctl", ["-D", data, "-l", log, "-m", "fast", "-w", "-t", "30", "restart"])
    }

    private static var isRoot: Bool { getuid() == 0 }

    /// Runs a server tool as `postgres` when we are root (initdb refuses root).
    private static func asServerUser(_ binaries: String, _ tool: String, _ arguments: [String]) throws {
        let path = binaries + "/" + tool
        if isRoot {
            try run("/usr/sbin/runuser", ["-u", "postgres", "--", path] + arguments)
        } else {
            try run(path, arguments)
        }
    }

    private static func binDirectory() throws -> String {
        if let output = try? capture("/usr/bin/env", ["pg_config", "--bindir"]),
           FileManager.default.isExecutableFile(atPath: output + "/initdb") {
            return output
        }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        for version in versions.sorted(by: >) where FileManager.default.isExecutableFile(atPath: "/usr/lib/postgresql/\(version)/bin/initdb") {
            return "/usr/lib/postgresql/\(version)/bin"
        }
        throw TestServerError("no PostgreSQL server binaries (initdb) found: install postgresql or set DRIFTLESS_POSTGRES_URL")
    }

    /// Runs a command and waits for it, its output in a file.
    ///
    /// Not `Process`: on Linux it notices the end of a child through a socket the child
    /// inherits, and the server that `pg_ctl start` leaves running inherits it too, so
    /// `waitUntilExit()` would wait for the server to stop. `posix_spawn` + `waitpid` do not.
    static func run(_ path: String, _ arguments: [String]) throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("driftless-cmd-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        // The calling thread (a test worker) may block signals, and a child inherits its mask:
        // the daemons started here must see SIGTERM, so start them with none blocked.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        guard spawned == 0 else { throw TestServerError("cannot run \(path): error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exited = status & 0x7F == 0
        let code = (status >> 8) & 0xFF
        guard exited && code == 0 else {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw TestServerError("\(path) \(arguments.joined(separator: " ")) failed (status \(status)): \(text)")
        }
    }

    private static func capture(_ path: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
