import Driftless

/// Where a ``PostgresDatabase`` connects and how it shares its connections.
///
/// Build one from a URL, a libpq keyword string or the environment:
///
/// ```swift
/// let a = try PostgresConfiguration(url: "postgres://app:s%40cret@db.internal:5432/app?sslmode=require")
/// let b = try PostgresConfiguration(url: "postgresql:///app?host=/var/run/postgresql")   // Unix socket
/// let c = try PostgresConfiguration(keywords: "host=localhost dbname=app user=app")
/// let d = PostgresConfiguration.environment()   // PGHOST, PGPORT, PGUSER, PGDATABASE, ...
/// ```
///
/// Any parameter left out is taken by libpq from the standard `PG*` environment variables and
/// then from its built-in defaults. The whole connect, every host of a list and every name
/// lookup included, is bounded by ``connectTimeout`` (see `PostgresConnector`), so that an
/// unreachable server fails fast with a `.cannotOpen` ``DatabaseError`` instead of hanging.
/// Printing, logging or dumping a configuration never shows `password` or `sslpassword`.
public struct PostgresConfiguration: Sendable {
    /// The libpq connection parameters (`host`, `port`, `dbname`, `user`, `sslmode`, ...), in
    /// order, exactly as given (already percent-decoded for URLs).
    public var parameters: [(keyword: String, value: String)]
    /// How long connecting may take, all hosts together (a longer `connect_timeout` given by
    /// the parameters or `PGCONNECT_TIMEOUT` extends it). Unless those give one, each host
    /// gets libpq's `connect_timeout` of this time shared among the hosts (whole seconds, at
    /// least 2).
    public var connectTimeout: Duration
    /// The most connections open at once.
    public var maximumConnectionCount: Int
    /// How long a caller waits for a free connection.
    public var checkoutTimeout: Duration
    /// Use only unnamed statements (one `PQexecParams` per execution, nothing kept on the
    /// server): required behind PgBouncer in transaction-pooling mode, where consecutive
    /// statements of a session may run on different server connections.
    public var usesUnnamedStatements: Bool
    /// Drift tolerance: catch-up interval, missing tables, logging.
    public var drift: DriftConfiguration
    /// The channel a dedicated connection `LISTEN`s on: a `NOTIFY` on it (the migrator sends
    /// one after changing the schema) makes drifted plans catch up at once. Nil for none (no
    /// extra connection; required behind PgBouncer in transaction-pooling mode, which does
    /// not support LISTEN). Catch-up by fingerprint within ``DriftConfiguration/catchUpInterval``
    /// works either way.
    public var schemaChangeChannel: String? = PostgresConfiguration.defaultSchemaChangeChannel

    /// A pooled connection idle for longer than this makes one round trip (an empty query)
    /// before it is handed out, to find connections that died without a word (a network
    /// partition, a firewall's idle timeout). Nil for never. Every checkout, however short
    /// the idle time, also checks without a round trip that libpq still considers the
    /// connection open and that the server has not written to it (a restart or
    /// `pg_terminate_backend` leaves a message and a closed socket behind).
    public var pingAfterIdle: Duration? = .seconds(30)

    /// The channel Driftless listens on by default: `driftless_schema`.
    public static let defaultSchemaChangeChannel = "driftless_schema"

    /// A configuration from libpq parameters (keyword → value).
    public init(
        parameters: [(keyword: String, value: String)] = [],
        connectTimeout: Duration = .seconds(5),
        maximumConnectionCount: Int = 8,
        checkoutTimeout: Duration = .seconds(30),
        usesUnnamedStatements: Bool = false,
        drift: DriftConfiguration = DriftConfiguration()
    ) {
        self.parameters = parameters
        self.connectTimeout = connectTimeout
        self.maximumConnectionCount = maximumConnectionCount
        self.checkoutTimeout = checkoutTimeout
        self.usesUnnamedStatements = usesUnnamedStatements
        self.drift = drift
    }

    /// A configuration from a `postgres://` or `postgresql://` URL.
    ///
    /// `postgres://user:password@host:port/database?sslmode=require&application_name=x`:
    /// every part is optional and percent-decoded; a host in brackets is an IPv6 address; a
    /// comma-separated host list is passed to libpq as is; `?host=/path` (or a percent-encoded
    /// path as the host) connects through a Unix socket in that folder. Query items are libpq
    /// parameters.
    ///
    /// - Throws: ``PostgresConfigurationError`` naming what is wrong.
    public init(
        url: String,
        maximumConnectionCount: Int = 8,
        checkoutTimeout: Duration = .seconds(30),
        usesUnnamedStatements: Bool = false,
        drift: DriftConfiguration = DriftConfiguration()
    ) throws {
        self.init(
            parameters: try PostgresURLParser.parameters(of: url),
            maximumConnectionCount: maximumConnectionCount, checkoutTimeout: checkoutTimeout,
            usesUnnamedStatements: usesUnnamedStatements, drift: drift)
    }

    /// A configuration from a libpq keyword string (`host=localhost port=5432 dbname='my db'`).
    ///
    /// - Throws: ``PostgresConfigurationError`` when the string is malformed.
    public init(
        keywords: String,
        maximumConnectionCount: Int = 8,
        checkoutTimeout: Duration = .seconds(30),
        usesUnnamedStatements: Bool = false,
        drift: DriftConfiguration = DriftConfiguration()
    ) throws {
        self.init(
            parameters: try PostgresKeywordParser.parameters(of: keywords),
            maximumConnectionCount: maximumConnectionCount, checkoutTimeout: checkoutTimeout,
            usesUnnamedStatements: usesUnnamedStatements, drift: drift)
    }

    /// A configuration that leaves every parameter to libpq's `PG*` environment variables
    /// (`PGHOST`, `PGPORT`, `PGDATABASE`, `PGUSER`, `PGPASSWORD`, `PGSSLMODE`, ...).
    public static func environment(drift: DriftConfiguration = DriftConfiguration()) -> PostgresConfiguration {
        PostgresConfiguration(drift: drift)
    }

    /// The value given for a parameter, if any (the last one wins, as in libpq).
    public func parameter(_ keyword: String) -> String? {
        parameters.last { $0.keyword == keyword }?.value
    }

    /// Sets (or replaces) a parameter.
    public mutating func setParameter(_ keyword: String, _ value: String) {
        parameters.removeAll { $0.keyword == keyword }
        parameters.append((keyword, value))
    }

    /// The parameters that hold secrets, whose values no description shows.
    static let secretKeywords: Set<String> = ["password", "sslpassword"]

    /// A description of the target for messages, without the password.
    public var targetDescription: String {
        let host = parameter("host") ?? parameter("hostaddr") ?? "(default host)"
        let port = parameter("port").map { ":\($0)" } ?? ""
        let database = parameter("dbname").map { "/\($0)" } ?? ""
        let user = parameter("user").map { "\($0)@" } ?? ""
        return user + host + port + database
    }
}

extension PostgresConfiguration: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The parameters with the values of `password` and `sslpassword` replaced by `***`, so
    /// that printing, logging or dumping a configuration shows no secret.
    public var description: String {
        "PostgresConfiguration(" + parameters.map { parameter in
            "\(parameter.keyword)=\(Self.secretKeywords.contains(parameter.keyword) ? "***" : parameter.value)"
        }.joined(separator: " ") + ")"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: [
            "parameters": description, "connectTimeout": connectTimeout,
            "maximumConnectionCount": maximumConnectionCount, "checkoutTimeout": checkoutTimeout,
            "usesUnnamedStatements": usesUnnamedStatements, "schemaChangeChannel": schemaChangeChannel as Any,
            "pingAfterIdle": pingAfterIdle as Any,
        ])
    }
}
