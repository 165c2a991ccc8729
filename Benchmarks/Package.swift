// swift-tools-version: 6.1
import PackageDescription

// Benchmarks for Driftless, in their own package so that package-benchmark, GRDB and
// PostgresNIO never become dependencies of the library. Run from this directory:
//
//     swift package --allow-writing-to-package-directory benchmark --target DriftlessBenchmarks
//     ./with-postgres.sh swift package --allow-writing-to-package-directory benchmark --target DriftlessPostgresBenchmarks
//     swift package --allow-writing-to-package-directory benchmark --target DriftlessMigrationBenchmarks
//
// The first is SQLite, the third the revision graph; the second needs a PostgreSQL server (DRIFTLESS_POSTGRES_URL), which
// with-postgres.sh starts and stops when the variable is unset (BENCHMARKS.md adds the CPU
// pinning its figures were measured with). Building needs no server.
// See ../BENCHMARKS.md for what each benchmark measures and the latest results.
let package = Package(
    name: "DriftlessBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Driftless", path: "../"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1",
                 traits: ["MallocInterposer"]),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
    ],
    targets: [
        // The raw C contender: the root's CSQLite is not a product, so declare our own.
        .systemLibrary(
            name: "RawSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]
        ),
        // The raw libpq contender, for the same reason (the root's CLibPQ is not a product).
        .systemLibrary(
            name: "RawLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"]), .brew(["libpq"])]
        ),
        .executableTarget(
            name: "DriftlessBenchmarks",
            dependencies: [
                .product(name: "Driftless", package: "Driftless"),
                .product(name: "DriftlessSQLite", package: "Driftless"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Logging", package: "swift-log"),
                "RawSQLite",
                "ConcurrentLoad",
            ],
            path: "Benchmarks/DriftlessBenchmarks",
            swiftSettings: [.swiftLanguageMode(.v5)],
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark"),
            ]
        ),
        .executableTarget(
            name: "DriftlessPostgresBenchmarks",
            dependencies: [
                .product(name: "Driftless", package: "Driftless"),
                .product(name: "DriftlessPostgres", package: "Driftless"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Logging", package: "swift-log"),
                "RawLibPQ",
                "ConcurrentLoad",
            ],
            path: "Benchmarks/DriftlessPostgresBenchmarks",
            swiftSettings: [.swiftLanguageMode(.v5)],
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark"),
            ]
        ),
        // Many tasks at once against one pool: throughput, latency, threads (both targets).
        .target(name: "ConcurrentLoad", dependencies: [.product(name: "Benchmark", package: "benchmark")]),
        // Fetch one under callgrind (instruction counts; count-instructions.sh, BENCHMARKS.md).
        .executableTarget(
            name: "FindInstructionCount",
            dependencies: [
                .product(name: "Driftless", package: "Driftless"),
                .product(name: "DriftlessSQLite", package: "Driftless"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                "RawSQLite",
            ]
        ),
        .executableTarget(
            name: "DriftlessMigrationBenchmarks",
            dependencies: [
                .product(name: "DriftlessMigrations", package: "Driftless"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/DriftlessMigrationBenchmarks",
            swiftSettings: [.swiftLanguageMode(.v5)],
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
