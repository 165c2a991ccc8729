import Driftless
import DriftlessPostgres
import Foundation
import Synchronization
import Testing

/// A PgBouncer in transaction-pooling mode in front of the test server, started once per
/// test process when the `pgbouncer` binary is installed (Debian's package), stopped at exit.
enum TestPgBouncer {
    static let binary = ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// The URL of the bouncer, or why there is none.
    static let server: Result<String, TestServerError> = Result {
        guard let binary else { throw TestServerError("pgbouncer is not installed (apt-get install pgbouncer)") }
        let target = try PostgresConfiguration(url: TestPostgres.url())
        return try start(binary: binary, host: target.parameter("host") ?? "/var/run/postgresql",
                         port: target.parameter("port") ?? "5432", user: target.parameter("user") ?? "postgres")
    }.mapError { $0 as? TestServerError ?? TestServerError(String(describing: $0)) }

    /// Whether PgBouncer tests run: when a bouncer can be had, or when it is required
    /// (`DRIFTLESS_REQUIRE_POSTGRES=1` requires it too: the tests then fail with the reason).
    static var isEnabled: Bool {
        if case .success = server { return true }
        return isRequired
    }

    static var isRequired: Bool {
        TestPostgres.isRequired || ProcessInfo.processInfo.environment["DRIFTLESS_REQUIRE_PGBOUNCER"] == "1"
    }

    /// Why the PgBouncer tests are skipped, shown in the test report.
    static var skipReason: Comment {
        guard case .failure(let error) = server else { return "a PgBouncer is available" }
        return Comment(rawValue: "PgBouncer tests skipped: \(error.description) (DRIFTLESS_REQUIRE_POSTGRES=1 or DRIFTLESS_REQUIRE_PGBOUNCER=1 makes this a failure)")
    }

    private static let pidFile = Mutex<String?>(nil)

    private static func start(binary: String, host: String, port: String, user: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("driftless-bouncer-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let listenPort = Int.random(in: 20000...60000)
        let pid = directory.path + "/pgbouncer.pid"
        try "\"\(user)\" \"\"\n".write(toFile: directory.path + "/users.txt", atomically: true, encoding: .utf8)
        try """
            [databases]
            * = host=\(host) port=\(port)
            [pgbouncer]
            listen_addr =
            listen_port = \(listenPort)
            unix_socket_dir = \(directory.path)
            auth_type = trust
            auth_file = \(directory.path)/users.txt
            pool_mode = transaction
            default_pool_size = 2
            max_client_conn = 200
            ignore_startup_parameters = extra_float_digits,options
            logfile = \(directory.path)/pgbouncer.log
            pidfile = \(pid)
            """.write(toFile: directory.path + "/pgbouncer.ini", atomically: true, encoding: .utf8)
        if getuid() == 0 {
            try ThrowawayServer.run("/bin/chown", ["-R", "postgres:postgres", directory.path])
            try ThrowawayServer.run("/usr/sbin/runuser", ["-u", "postgres", "--", binary, "-d", directory.path + "/pgbouncer.ini"])
        } else {
            try ThrowawayServer.run(binary, ["-d", directory.path + "/pgbouncer.ini"])
        }
        pidFile.withLock { $0 = pid }
        atexit {
            guard let path = TestPgBouncer.pidFile.withLock({ $0 }),
                  let text = try? String(contentsOfFile: path, encoding: .utf8),
                  let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { return }
            kill(pid, SIGTERM)
            Thread.sleep(forTimeInterval: 0.1)
            try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
        }
        // Wait for its socket.
        let socket = directory.path + "/.s.PGSQL.\(listenPort)"
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: socket) {
            guard Date() < deadline else { throw TestServerError("pgbouncer did not start (see \(directory.path)/pgbouncer.log)") }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return "postgresql://\(user)@/postgres?host=\(directory.path)&port=\(listenPort)"
    }
}
