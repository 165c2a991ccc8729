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
        ("mysql://u@h/db", PostgresConfigurationError.Code.unsupportedScheme, "scheme"),
        ("postgres://u@h:99999/db", .invalidPort, "port of host 1"),
        ("postgres://u@h,h2:abc/db", .invalidPort, "port of host 2"),
        ("postgres://u:pw@h/db%zz", .invalidPercentEncoding, "database name"),
        ("postgres://u@h/db?nosuchoption=1", .unknownParameter, "query item 1"),
        ("postgres://u@h/db?sslmode", .malformedURL, "query item 1"),
        ("localhost:5432", .malformedURL, nil),
        ("postgres://u@[::1/db", .malformedURL, "host 1"),
        ("postgres://u@h/my%00db", .nulCharacter, "database name"),
        ("postgres://u:se/cret@h/db", .unencodedCredentials, nil),
    ] as [(String, PostgresConfigurationError.Code, String?)])
    func rejectsMalformedURLs(url: String, code: PostgresConfigurationError.Code, component: String?) throws {
        let error = #expect(throws: PostgresConfigurationError.self) { try PostgresConfiguration(url: url) }
        #expect(error?.code == code, "\(String(describing: error))")
        #expect(error?.component == component, "\(String(describing: error))")
    }

    /// A misspelt parameter is named by the parameter it is probably meant to be, never by
    /// what was written (which may be a piece of a password).
    @Test func unknownParametersSuggestTheNearestKnownOne() throws {
        let error = #expect(throws: PostgresConfigurationError.self) { try PostgresConfiguration(url: "postgres://h/db?sslmod=require") }
        #expect(error?.description.contains("did you mean \"sslmode\"") == true, "\(String(describing: error))")
        #expect(error?.description.contains("sslmod=") == false)
    }

    @Test func malformedURLIsACannotOpenDatabaseError() throws {
        let error = #expect(throws: DatabaseError.self) { try PostgresDatabase(url: "postgres://u:secret@h:port/db") }
        #expect(error?.kind == .cannotOpen)
        #expect(error?.message.contains("port") == true)
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

    /// libpq reads C strings: a NUL (raw or `%00`) would connect to another database, host or
    /// user. Every component, and a keyword string, is an error naming the part.
    @Test(arguments: [
        ("postgres://u%00x@h/db", "user name"), ("postgres://u:p%00w@h/db", "password"), ("postgres://h%00x/db", "host 1"),
        ("postgres://h/d%00b", "database name"), ("postgres://h/db?application_name=a%00b", "query item 1"),
    ])
    func nulInAnyComponentIsAnError(url: String, component: String) throws {
        let error = #expect(throws: PostgresConfigurationError.self) { try PostgresConfiguration(url: url) }
        #expect(error?.code == .nulCharacter && error?.component == component, "\(String(describing: error))")
        #expect(throws: PostgresConfigurationError.self) { try PostgresConfiguration(url: "postgres://h/db\0other") }
        #expect(throws: PostgresConfigurationError.self) { try PostgresConfiguration(keywords: "host=h dbname=a\0b") }
    }

    @Test func parametersWithNULOrAnotherEncodingAreRefusedBeforeConnecting() throws {
        var configuration = PostgresConfiguration(parameters: [("host", "/nonexistent"), ("dbname", "shop\0other")])
        configuration.schemaChangeChannel = nil
        let nul = #expect(throws: DatabaseError.self) { try PostgresDatabase(configuration: configuration) }
        #expect(nul?.kind == .cannotOpen && nul?.message.contains("NUL") == true, "\(String(describing: nul))")
        configuration.parameters = [("host", "/nonexistent"), ("client_encoding", "LATIN1")]
        let encoding = #expect(throws: DatabaseError.self) { try PostgresDatabase(configuration: configuration) }
        #expect(encoding?.message.contains("client_encoding") == true, "\(String(describing: encoding))")
        configuration.parameters = [("host", "/nonexistent")]
        configuration.schemaChangeChannel = "a\0b"
        let channel = #expect(throws: DatabaseError.self) { try PostgresDatabase(configuration: configuration) }
        #expect(channel?.message.contains("schemaChangeChannel") == true, "\(String(describing: channel))")
    }

    /// A delimiter followed by a combining mark is still a delimiter: the password stays the
    /// password (walking by Character, `@\u{301}` was not an @, and the password went into the
    /// host, which messages show).
    @Test func delimitersSharingAClusterStillSplit() throws {
        let configuration = try PostgresConfiguration(url: "postgres://app:s3cret@\u{301}db.example/\u{301}shop")
        #expect(configuration.parameter("password") == "s3cret")
        #expect(configuration.parameter("host")?.unicodeScalars.elementsEqual("\u{301}db.example".unicodeScalars) == true)
        #expect(!configuration.targetDescription.contains("s3cret"))
    }

    @Test func descriptionsNeverShowPasswords() throws {
        let configuration = try PostgresConfiguration(url: "postgres://app:hunter2@db.example/shop?sslpassword=keypass")
        for text in ["\(configuration)", String(reflecting: configuration), configuration.targetDescription] {
            #expect(!text.contains("hunter2") && !text.contains("keypass"), "\(text)")
        }
        var dumped = ""
        dump(configuration, to: &dumped)
        #expect(!dumped.contains("hunter2") && !dumped.contains("keypass"), "\(dumped)")
    }

    @Test func keywordStringsMeanWhatTheyMeanToLibpq() throws {
        let configuration = try PostgresConfiguration(keywords: #"host=db.example dbname = 'my \'db\'' password='a b\\c' port=5433"#)
        #expect(configuration.parameter("dbname") == "my 'db'")
        #expect(configuration.parameter("password") == #"a b\c"#)
        #expect(configuration.parameter("port") == "5433")
        let error = #expect(throws: PostgresConfigurationError.self) { try PostgresConfiguration(keywords: "host=h password=my secret") }
        #expect(error?.code == .malformedKeywords)
        #expect(error.map { "\($0)" }?.contains("secret") == false, "\(String(describing: error))")
        let typo = #expect(throws: PostgresConfigurationError.self) { try PostgresConfiguration(keywords: "host=h sslmod=require") }
        #expect(typo?.description.contains(#"did you mean "sslmode""#) == true)
    }

    /// libpq's `connect_timeout` bounds each host, and a name that does not resolve is not
    /// covered at all: 1,000 such hosts took minutes on main. The whole connect is bounded.
    @Test func manyHostsFailWithinTheConnectTimeout() throws {
        let hosts = (0..<1_000).map { "h\($0).invalid" }.joined(separator: ",")
        var configuration = try PostgresConfiguration(url: "postgres://app@\(hosts)/shop")
        configuration.connectTimeout = .seconds(2)
        configuration.schemaChangeChannel = nil
        let started = ContinuousClock.now
        let error = #expect(throws: DatabaseError.self) { try PostgresDatabase(configuration: configuration) }
        let elapsed = ContinuousClock.now - started
        #expect(error?.kind == .cannotOpen)
        #expect(elapsed < .seconds(4), "took \(elapsed)")
    }
}
