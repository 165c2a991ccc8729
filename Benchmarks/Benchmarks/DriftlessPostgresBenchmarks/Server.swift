import DriftlessPostgres
import Foundation

/// The PostgreSQL server the benchmarks run against: `DRIFTLESS_POSTGRES_URL`, which
/// `Benchmarks/with-postgres.sh` sets (starting a throwaway server) when it is not set.
///
/// Every benchmark gets a schema of its own (`bench_<random>`), created in its setup hook and
/// dropped in its teardown; every contender connects with `search_path` set to it (the
/// `options` startup parameter), so that all of them run exactly the same unqualified SQL.
enum Server {
    static let environmentVariable = "DRIFTLESS_POSTGRES_URL"

    /// The URL, or a failure saying how to get a server. The benchmarks fail with it rather
    /// than report nothing.
    static func url() throws -> String {
        guard let url = ProcessInfo.processInfo.environment[environmentVariable], !url.isEmpty else {
            throw BenchmarkFailure("""
                \(environmentVariable) is not set: the PostgreSQL benchmarks need a server. Run them \
                through with-postgres.sh, which starts a throwaway one when the variable is unset:

                    cd Benchmarks
                    ./with-postgres.sh swift package --allow-writing-to-package-directory benchmark \
                --target DriftlessPostgresBenchmarks
                """)
        }
        return url
    }

    /// The libpq parameters of the URL (parsed by Driftless, which every contender then uses).
    static func parameters() throws -> [(keyword: String, value: String)] {
        try PostgresConfiguration(url: url()).parameters
    }
}

/// One benchmark's schema on the server and how each contender reaches it.
struct BenchSchema {
    let name: String
    /// libpq connection parameters: the URL's, plus `options=-c search_path=<name>`.
    let parameters: [(keyword: String, value: String)]

    /// Creates a new schema holding `items` with rows 1...`rows` (``Fixture/item(_:)``).
    static func create(rows: Int = Fixture.rowCount) throws -> BenchSchema {
        let base = try Server.parameters()
        let name = "bench_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        let admin = try RawPG(parameters: base)
        try admin.execute("CREATE SCHEMA \(name)")
        let schema = BenchSchema(name: name, parameters: base.filter { $0.keyword != "options" }
                                 + [("options", "-c search_path=\(name)")])
        let connection = try RawPG(parameters: schema.parameters)
        try connection.execute(Fixture.createTable("items"))
        if rows > 0 { try connection.execute(Fixture.populate("items", count: rows)) }
        // Statistics and the visibility map, so every contender meets a settled table.
        try connection.execute("VACUUM ANALYZE")
        return schema
    }

    func drop() {
        guard let admin = try? RawPG(parameters: Array(parameters.dropLast())) else { return }
        try? admin.execute("DROP SCHEMA \(name) CASCADE")
    }

    /// A parameter of the connection, if given.
    func parameter(_ keyword: String) -> String? {
        parameters.last { $0.keyword == keyword }?.value
    }
}
