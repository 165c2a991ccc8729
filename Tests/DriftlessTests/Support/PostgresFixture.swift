import Driftless
import DriftlessPostgres
import Foundation
import Synchronization

/// A PostgreSQL database of one test's own: a new database created on the test server
/// (``TestPostgres``) for each fixture, so that tests running in parallel never see each
/// other's tables, schemas, `NOTIFY`s or connections (`pg_stat_activity.datname` tells them
/// apart). Creating one takes 40 to 90 ms on the throwaway server.
///
/// The PostgreSQL counterpart of ``SQLiteFixture``: `database` is the handle under test and
/// ``openAnother(drift:)`` opens an independent one on the same database, standing for
/// another app instance or the migrator.
///
/// Databases created on a server given by `DRIFTLESS_POSTGRES_URL` are dropped when the
/// test process exits; the throwaway server is removed whole.
struct PostgresFixture: Sendable {
    /// The handle under test.
    let database: PostgresDatabase
    /// The configuration both ``database`` and ``openAnother(drift:)`` connect with.
    let configuration: PostgresConfiguration
    /// The name of the fixture's database on the server.
    let databaseName: String

    /// - Parameters:
    ///   - drift: Drift tolerance of ``database`` (silent by default).
    ///   - maximumConnectionCount: The pool size of ``database``.
    ///   - usesUnnamedStatements: Unnamed statements only, as behind PgBouncer.
    init(
        drift: DriftConfiguration = DriftConfiguration(logger: LogCapture.silentLogger),
        maximumConnectionCount: Int = 4,
        checkoutTimeout: Duration = .seconds(30),
        usesUnnamedStatements: Bool = false
    ) throws {
        databaseName = try Self.createDatabase()
        var configuration = try PostgresConfiguration(
            url: TestPostgres.url(), maximumConnectionCount: maximumConnectionCount,
            checkoutTimeout: checkoutTimeout, usesUnnamedStatements: usesUnnamedStatements, drift: drift)
        configuration.setParameter("dbname", databaseName)
        self.configuration = configuration
        database = try PostgresDatabase(configuration: configuration)
    }

    /// A second, independent handle on the same database: another session, as far as the
    /// first knows.
    func openAnother(drift: DriftConfiguration = DriftConfiguration(logger: LogCapture.silentLogger)) throws -> PostgresDatabase {
        var configuration = configuration
        configuration.drift = drift
        return try PostgresDatabase(configuration: configuration)
    }

    /// Runs SQL in a session of the server's maintenance database, outside the fixture's
    /// (for `pg_terminate_backend` of the fixture's connections, for example).
    func executeAsAdministrator(_ sql: String) throws {
        try Self.administrator.get().blocking.execute(sql)
    }

    // MARK: Creating and dropping databases

    /// One connection on the server's own database, without a LISTEN connection. One, so
    /// that databases are created one at a time: concurrent CREATE DATABASE from the same
    /// template contend badly (45 at once took 7 s here, one after another 2 s).
    private static let administrator: Result<PostgresDatabase, TestServerError> = Result {
        var configuration = try PostgresConfiguration(url: TestPostgres.url(), maximumConnectionCount: 1)
        configuration.schemaChangeChannel = nil
        return try PostgresDatabase(configuration: configuration)
    }.mapError { $0 as? TestServerError ?? TestServerError(String(describing: $0)) }

    private static let created = Mutex<[String]>([])

    private static func createDatabase() throws -> String {
        let name = "driftless_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        try administrator.get().blocking.execute("CREATE DATABASE \(name)")
        let first = created.withLock { names in
            names.append(name)
            return names.count == 1
        }
        if first && TestPostgres.isExternal {
            atexit {
                let names = PostgresFixture.created.withLock { $0 }
                guard let administrator = try? PostgresFixture.administrator.get() else { return }
                for name in names { try? administrator.blocking.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
            }
        }
        return name
    }
}
