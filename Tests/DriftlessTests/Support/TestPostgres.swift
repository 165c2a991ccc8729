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
        return Result { try ThrowawayServer.start() }.mapError { $0 as? TestServerError ?? TestServerError(String(describing: $0)) }
    }()

    static var isRequired: Bool { ProcessInfo.processInfo.environment["DRIFTLESS_REQUIRE_POSTGRES"] == "1" }

    /// Whether tests needing a server run: when one is available, or when one is required
    /// (they then fail with the reason).
    static var isEnabled: Bool {
        if case .success = server { return true }
        return isRequired
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

/// Starts and stops the throwaway server.
enum ThrowawayServer {
    private static let stopCommand = Mutex<[String]?>(nil)

    static func start() throws -> String {
        let binaries = try binDirectory()
        let base = FileManager.default.temporaryDirectory
            .appendingPathComponent("driftless-pg-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))")
        let data = base.appendingPathComponent("data").path
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        let isRoot = getuid() == 0
        if isRoot { try run("/bin/chown", ["-R", "postgres:postgres", base.path]) }
        func asServerUser(_ tool: String, _ arguments: [String]) throws {
            let path = binaries + "/" + tool
            if isRoot {
                try run("/usr/sbin/runuser", ["-u", "postgres", "--", path] + arguments)
            } else {
                try run(path, arguments)
            }
        }
        try asServerUser("initdb", ["-D", data, "--auth=trust", "-U", "postgres", "-E", "UTF8", "--locale=C",
                                    "--no-sync", "--no-instructions"])
        let port = Int.random(in: 20000...60000)
        let options = "-c fsync=off -c listen_addresses='' -k \(base.path) -p \(port) -c max_connections=200"
            + " -c synchronous_commit=off -c full_page_writes=off"
        try asServerUser("pg_ctl", ["-D", data, "-o", options, "-l", base.path + "/server.log", "-w", "-t", "30", "start"])
        var stop = [binaries + "/pg_ctl", "-D", data, "-m", "immediate", "stop"]
        if isRoot { stop = ["/usr/sbin/runuser", "-u", "postgres", "--"] + stop }
        stopCommand.withLock { $0 = stop + ["#", base.path] }
        atexit {
            guard let command = ThrowawayServer.stopCommand.withLock({ $0 }) else { return }
            let split = command.firstIndex(of: "#")!
            try? ThrowawayServer.run(command[0], Array(command[1..<split]))
            try? FileManager.default.removeItem(atPath: command[split + 1])
        }
        return "postgresql://postgres@/postgres?host=\(base.path)&port=\(port)"
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
