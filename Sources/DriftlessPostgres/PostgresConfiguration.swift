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
/// then from its built-in defaults. `connect_timeout` is always set (``connectTimeout``, unless
/// the URL, the keywords or `PGCONNECT_TIMEOUT` give one) so that an unreachable server fails
/// fast with a `.cannotOpen` ``DatabaseError`` instead of hanging.
public struct PostgresConfiguration: Sendable {
    /// The libpq connection parameters (`host`, `port`, `dbname`, `user`, `sslmode`, ...), in
    /// order, exactly as given (already percent-decoded for URLs).
    public var parameters: [(keyword: String, value: String)]
    /// Applied as libpq's `connect_timeout` (whole seconds, at least 2) when no parameter or
    /// environment variable sets one.
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

    /// A description of the target for messages, without the password.
    public var targetDescription: String {
        let host = parameter("host") ?? parameter("hostaddr") ?? "(default host)"
        let port = parameter("port").map { ":\($0)" } ?? ""
        let database = parameter("dbname").map { "/\($0)" } ?? ""
        let user = parameter("user").map { "\($0)@" } ?? ""
        return user + host + port + database
    }
}

/// A connection URL or keyword string that cannot be used, with what is wrong with it.
public struct PostgresConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The URL or keyword string, with any password replaced by `***`.
    public var input: String
    /// What is wrong with it.
    public var problem: String

    public init(input: String, problem: String) {
        self.input = input
        self.problem = problem
    }

    public var description: String { "invalid PostgreSQL connection string \(input): \(problem)" }

    /// The same error as a `.cannotOpen` ``DatabaseError``.
    public var databaseError: DatabaseError {
        DatabaseError(kind: .cannotOpen, message: description)
    }
}

/// Parses `postgres://` URLs into libpq parameters.
enum PostgresURLParser {
    static func parameters(of url: String) throws -> [(keyword: String, value: String)] {
        let shown = redacted(url)
        func fail(_ problem: String) -> PostgresConfigurationError {
            PostgresConfigurationError(input: shown, problem: problem)
        }
        guard let schemeEnd = url.range(of: "://") else {
            throw fail("expected a URL of the form postgres://user:password@host:port/database")
        }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "postgres" || scheme == "postgresql" else {
            throw fail("unsupported scheme \"\(scheme)\" (expected postgres:// or postgresql://)")
        }
        var rest = Substring(url[schemeEnd.upperBound...])
        var query: Substring?
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        if rest.contains("#") { throw fail("a fragment (#) is not allowed") }
        var path: Substring?
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        var result: [(keyword: String, value: String)] = []
        // user:password@
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            let user: Substring
            var password: Substring?
            if let colon = userInfo.firstIndex(of: ":") {
                user = userInfo[..<colon]
                password = userInfo[userInfo.index(after: colon)...]
            } else {
                user = userInfo
            }
            if !user.isEmpty { result.append(("user", try decode(user, what: "user name", fail))) }
            if let password { result.append(("password", try decode(password, what: "password", fail))) }
        }
        // host[:port][,host[:port]...]
        if !rest.isEmpty {
            var hosts: [String] = []
            var ports: [String] = []
            for item in rest.split(separator: ",", omittingEmptySubsequences: false) {
                var host: Substring
                var port: Substring?
                if item.hasPrefix("[") {
                    guard let close = item.firstIndex(of: "]") else {
                        throw fail("unterminated IPv6 address \"\(item)\" (missing ])")
                    }
                    host = item[item.index(after: item.startIndex)..<close]
                    let after = item[item.index(after: close)...]
                    if !after.isEmpty {
                        guard after.hasPrefix(":") else { throw fail("unexpected \"\(after)\" after IPv6 address") }
                        port = after.dropFirst()
                    }
                } else if let colon = item.lastIndex(of: ":") {
                    host = item[..<colon]
                    port = item[item.index(after: colon)...]
                } else {
                    host = item
                }
                if let port {
                    guard !port.isEmpty, port.allSatisfy({ $0.isASCII && $0.isNumber }),
                          let number = Int(port), (1...65535).contains(number)
                    else { throw fail("invalid port \"\(port)\" (expected a number from 1 to 65535)") }
                }
                hosts.append(try decode(host, what: "host", fail))
                ports.append(port.map(String.init) ?? "")
            }
            if hosts.contains(where: { !$0.isEmpty }) { result.append(("host", hosts.joined(separator: ","))) }
            if ports.contains(where: { !$0.isEmpty }) { result.append(("port", ports.joined(separator: ","))) }
        }
        if let path, !path.isEmpty {
            if path.contains("/") { throw fail("the database name \"\(path)\" contains a slash (percent-encode it)") }
            result.append(("dbname", try decode(path, what: "database name", fail)))
        }
        if let query, !query.isEmpty {
            for item in query.split(separator: "&") {
                guard let equals = item.firstIndex(of: "=") else {
                    throw fail("query item \"\(item)\" has no value (expected keyword=value)")
                }
                let keyword = try decode(item[..<equals], what: "query keyword", fail)
                let value = try decode(item[item.index(after: equals)...], what: "value of \(keyword)", fail)
                guard !keyword.isEmpty else { throw fail("empty query keyword in \"\(item)\"") }
                // libpq's URI spelling: `ssl=true` means sslmode=require.
                if keyword == "ssl" && value == "true" {
                    result.append(("sslmode", "require"))
                    continue
                }
                guard PostgresKeywordParser.isKnownKeyword(keyword) else {
                    throw fail("unknown connection parameter \"\(keyword)\"")
                }
                result.append((keyword, value))
            }
        }
        return result
    }

    /// Percent-decodes a URL component (UTF-8).
    static func decode(
        _ text: Substring, what: String, _ fail: (String) -> PostgresConfigurationError
    ) throws -> String {
        guard text.contains("%") else { return String(text) }
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            guard byte == UInt8(ascii: "%") else { bytes.append(byte); continue }
            guard iterator.count >= 2,
                  let high = hexValue(iterator.removeFirst()), let low = hexValue(iterator.removeFirst())
            else { throw fail("invalid percent-encoding in the \(what)") }
            bytes.append(high << 4 | low)
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else {
            throw fail("the \(what) is not valid UTF-8 once percent-decoded")
        }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The URL with its password replaced by `***`.
    static func redacted(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let afterScheme = url[schemeEnd.upperBound...]
        let authorityEnd = afterScheme.firstIndex { $0 == "/" || $0 == "?" } ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        guard let at = authority.lastIndex(of: "@"),
              let colon = authority[..<at].firstIndex(of: ":") else { return url }
        return String(url[..<authority.index(after: colon)]) + "***" + String(url[at...])
    }
}

/// Parses libpq keyword strings (`key=value key='quoted value'`).
enum PostgresKeywordParser {
    /// The parameters libpq 15 knows (`PQconndefaults`), checked so that a typo is an error
    /// naming the keyword rather than a failed connection.
    static let knownKeywords: Set<String> = [
        "service", "user", "password", "passfile", "channel_binding", "connect_timeout", "dbname", "host",
        "hostaddr", "port", "client_encoding", "options", "application_name", "fallback_application_name",
        "keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count", "tcp_user_timeout",
        "sslmode", "sslcompression", "sslcert", "sslkey", "sslpassword", "sslrootcert", "sslcrl", "sslcrldir",
        "sslsni", "requirepeer", "ssl_min_protocol_version", "ssl_max_protocol_version", "gssencmode",
        "krbsrvname", "gsslib", "target_session_attrs", "replication", "load_balance_hosts",
        "require_auth", "sslcertmode", "gssdelegation",
    ]

    static func isKnownKeyword(_ keyword: String) -> Bool { knownKeywords.contains(keyword) }

    static func parameters(of text: String) throws -> [(keyword: String, value: String)] {
        func fail(_ problem: String) -> PostgresConfigurationError {
            PostgresConfigurationError(input: redacted(text), problem: problem)
        }
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            return try PostgresURLParser.parameters(of: text)
        }
        var result: [(keyword: String, value: String)] = []
        var characters = Array(text)[...]
        func skipSpaces() { while let first = characters.first, first.isWhitespace { characters.removeFirst() } }
        while true {
            skipSpaces()
            guard !characters.isEmpty else { break }
            var keyword = ""
            while let first = characters.first, first != "=", !first.isWhitespace {
                keyword.append(characters.removeFirst())
            }
            skipSpaces()
            guard characters.first == "=" else { throw fail("missing \"=\" after \"\(keyword)\"") }
            characters.removeFirst()
            skipSpaces()
            var value = ""
            if characters.first == "'" {
                characters.removeFirst()
                var closed = false
                while let character = characters.popFirst() {
                    if character == "\\" {
                        guard let escaped = characters.popFirst() else { break }
                        value.append(escaped)
                    } else if character == "'" {
                        closed = true
                        break
                    } else {
                        value.append(character)
                    }
                }
                guard closed else { throw fail("unterminated quoted value of \"\(keyword)\"") }
            } else {
                while let first = characters.first, !first.isWhitespace {
                    characters.removeFirst()
                    if first == "\\", let escaped = characters.popFirst() { value.append(escaped) } else { value.append(first) }
                }
            }
            guard isKnownKeyword(keyword) else { throw fail("unknown connection parameter \"\(keyword)\"") }
            result.append((keyword, value))
        }
        return result
    }

    /// The keyword string with any password value replaced by `***`.
    static func redacted(_ text: String) -> String {
        guard let range = text.range(of: "password") else { return text }
        var end = text[range.upperBound...].drop { $0 == " " || $0 == "=" }
        if end.first == "'" {
            end = end.dropFirst().drop { $0 != "'" }.dropFirst()
        } else {
            end = end.drop { !$0.isWhitespace }
        }
        return String(text[..<range.upperBound]) + "=***" + String(end)
    }
}
