import Logging
import NIOCore
import NIOPosix
import PostgresNIO

// PostgresNIO 1.33.2 on its fastest documented path: `PostgresPreparedStatement`s (prepared
// once per connection by the library, then Bind/Execute only), binary parameters and
// results, rows decoded by position into the same `Item`. Two ways in:
//
// - `PostgresClient`, the recommended API: a pool, run by its `run()` task for the whole
//   benchmark (started in setup, cancelled in teardown);
// - one `PostgresConnection`, no pool: the least overhead PostgresNIO offers.

struct FindItem: PostgresPreparedStatement {
    static let name = "bench_find"
    static let sql = Fixture.selectByKey
    typealias Row = Item

    var id: Int64

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(id)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Item { try decodeNIOItem(row) }
}

struct ScanItems: PostgresPreparedStatement {
    static let name = "bench_scan"
    static let sql = Fixture.selectAll
    typealias Row = Item

    func makeBindings() throws -> PostgresBindings { PostgresBindings() }
    func decodeRow(_ row: PostgresRow) throws -> Item { try decodeNIOItem(row) }
}

struct InsertItem: PostgresPreparedStatement {
    static let name = "bench_insert"
    static let sql = Fixture.insert
    typealias Row = ()

    var item: Item

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 10)
        bindings.append(item.id)
        bindings.append(item.name)
        bindings.append(item.email)
        bindings.append(item.age)
        bindings.append(item.score)
        bindings.append(item.city)
        bindings.append(item.country)
        bindings.append(item.visits)
        bindings.append(item.balance)
        bindings.append(item.note)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws {}
}

@inline(__always)
func decodeNIOItem(_ row: PostgresRow) throws -> Item {
    let (id, name, email, age, score, city, country, visits, balance, note) = try row.decode(
        (Int64, String, String?, Int64, Double, String, String, Int64, Double, String?).self)
    return Item(id: id, name: name, email: email, age: age, score: score, city: city, country: country,
                visits: visits, balance: balance, note: note)
}

/// Where PostgresNIO connects: the benchmark's schema, by Unix socket when the URL names a
/// socket directory (as with-postgres.sh's does), else by TCP.
struct NIOEndpoint {
    var socketPath: String?
    var host: String
    var port: Int
    var username: String
    var password: String?
    var database: String?
    var searchPath: String

    init(_ schema: BenchSchema) {
        let host = schema.parameter("host") ?? "/var/run/postgresql"
        port = schema.parameter("port").flatMap(Int.init) ?? 5432
        socketPath = host.hasPrefix("/") ? "\(host)/.s.PGSQL.\(port)" : nil
        self.host = host
        username = schema.parameter("user") ?? "postgres"
        password = schema.parameter("password")
        database = schema.parameter("dbname") ?? username
        searchPath = schema.name
    }

    var clientConfiguration: PostgresClient.Configuration {
        var configuration = socketPath.map {
            PostgresClient.Configuration(unixSocketPath: $0, username: username, password: password, database: database)
        } ?? PostgresClient.Configuration(host: host, port: port, username: username, password: password,
                                          database: database, tls: .disable)
        configuration.options.additionalStartupParameters = [("options", "-c search_path=\(searchPath)")]
        return configuration
    }

    var connectionConfiguration: PostgresConnection.Configuration {
        var configuration = socketPath.map {
            PostgresConnection.Configuration(unixSocketPath: $0, username: username, password: password, database: database)
        } ?? PostgresConnection.Configuration(host: host, port: port, username: username, password: password,
                                              database: database, tls: .disable)
        configuration.options.additionalStartupParameters = [("options", "-c search_path=\(searchPath)")]
        return configuration
    }
}

let nioLogger = Logger(label: "postgres-nio-bench") { _ in SwiftLogNoOpLogHandler() }

/// A `PostgresClient` and the task running it.
final class NIOClientContender: @unchecked Sendable {
    let client: PostgresClient
    private let runner: Task<Void, Never>

    init(schema: BenchSchema) {
        client = PostgresClient(configuration: NIOEndpoint(schema).clientConfiguration, backgroundLogger: nioLogger)
        let client = client
        runner = Task { await client.run() }
    }

    func shutdown() async {
        runner.cancel()
        await runner.value
    }

    func find(_ key: Int64) async throws -> Item? {
        var found: Item?
        for try await item in try await client.execute(FindItem(id: key), logger: nioLogger) { found = item }
        return found
    }

    func fetchAll() async throws -> [Item] {
        var items: [Item] = []
        for try await item in try await client.execute(ScanItems(), logger: nioLogger) { items.append(item) }
        return items
    }

    /// One transaction, one prepared-statement execution (one round trip) per row.
    func insert(contentsOf items: [Item]) async throws {
        try await client.withTransaction(logger: nioLogger) { connection in
            for item in items { _ = try await connection.execute(InsertItem(item: item), logger: nioLogger) }
        }
    }

    func forEach(_ body: (Item) -> Void) async throws {
        for try await item in try await client.execute(ScanItems(), logger: nioLogger) { body(item) }
    }
}

/// One `PostgresConnection`, no pool.
final class NIOConnectionContender: @unchecked Sendable {
    let connection: PostgresConnection

    init(schema: BenchSchema) async throws {
        connection = try await PostgresConnection.connect(
            configuration: NIOEndpoint(schema).connectionConfiguration, id: 1, logger: nioLogger)
    }

    func shutdown() async {
        try? await connection.close()
    }

    func find(_ key: Int64) async throws -> Item? {
        var found: Item?
        for try await item in try await connection.execute(FindItem(id: key), logger: nioLogger) { found = item }
        return found
    }

    func fetchAll() async throws -> [Item] {
        var items: [Item] = []
        for try await item in try await connection.execute(ScanItems(), logger: nioLogger) { items.append(item) }
        return items
    }

    func insert(contentsOf items: [Item]) async throws {
        try await connection.withTransaction(logger: nioLogger) { connection in
            for item in items { _ = try await connection.execute(InsertItem(item: item), logger: nioLogger) }
        }
    }
}
