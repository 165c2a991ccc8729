import Driftless
import DriftlessPostgres
import Testing

@Suite struct PostgresConfigurationTests {
    @Test func parsesAFullURL() throws {
        let configuration = try PostgresConfiguration(
            url: "postgres://app%40corp:p%3Ass%2Fw@db.example.com:6543/my%20db?sslmode=require&application_name=x")
        #expect(configuration.parameter("user") == "app@corp")
        #expect(configuration.parameter("password") == "p:ss/w")
        #expect(configuration.parameter("host") == "db.example.com")
        #expect(configuration.parameter("port") == "6543")
        #expect(configuration.parameter("dbname") == "my db")
        #expect(configuration.parameter("sslmode") == "require")
        #expect(configuration.parameter("application_name") == "x")
    }

    @Test func parsesUnixSocketAndIPv6Hosts() throws {
        let socket = try PostgresConfiguration(url: "postgresql:///app?host=/var/run/postgresql")
        #expect(socket.parameter("host") == "/var/run/postgresql")
        #expect(socket.parameter("dbname") == "app")
        let encoded = try PostgresConfiguration(url: "postgres://%2Ftmp%2Fsock:5433/db")
        #expect(encoded.parameter("host") == "/tmp/sock")
        #expect(encoded.parameter("port") == "5433")
        let ipv6 = try PostgresConfiguration(url: "postgres://u@[::1]:5432/db")
        #expect(ipv6.parameter("host") == "::1")
        let bare = try PostgresConfiguration(url: "postgres://")
        #expect(bare.parameters.isEmpty)
    }

    @Test(arguments: [
        ("mysql://u@h/db", "unsupported scheme"),
        ("postgres://u@h:99999/db", "invalid port"),
        ("postgres://u@h:abc/db", "invalid port"),
        ("postgres://u:pw@h/db%zz", "percent-encoding"),
        ("postgres://u@h/db?nosuchoption=1", "unknown connection parameter \"nosuchoption\""),
        ("postgres://u@h/db?sslmode", "has no value"),
        ("localhost:5432", "expected a URL"),
        ("postgres://u@[::1/db", "IPv6"),
    ])
    func rejectsMalformedURLs(url: String, problem: String) throws {
        let error = #expect(throws: PostgresConfigurationError.self) { try PostgresConfiguration(url: url) }
        #expect(error?.problem.contains(problem) == true, "\(String(describing: error))")
    }

    @Test func malformedURLIsACannotOpenDatabaseError() throws {
        let error = #expect(throws: DatabaseError.self) { try PostgresDatabase(url: "postgres://u:secret@h:port/db") }
        #expect(error?.kind == .cannotOpen)
        #expect(error?.message.contains("invalid port") == true)
        #expect(error?.message.contains("secret") == false)
    }

    @Test func parsesKeywordStrings() throws {
        let configuration = try PostgresConfiguration(keywords: "host=localhost  port = 5432 dbname='my db' password='it\\'s'")
        #expect(configuration.parameter("host") == "localhost")
        #expect(configuration.parameter("port") == "5432")
        #expect(configuration.parameter("dbname") == "my db")
        #expect(configuration.parameter("password") == "it's")
        #expect(throws: PostgresConfigurationError.self) { try PostgresConfiguration(keywords: "host") }
        #expect(throws: PostgresConfigurationError.self) { try PostgresConfiguration(keywords: "hots=x") }
        #expect(throws: PostgresConfigurationError.self) { try PostgresConfiguration(keywords: "dbname='open") }
    }
}
