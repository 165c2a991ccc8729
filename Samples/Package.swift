// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "DriftlessSamples",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Driftless", path: "../"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .executableTarget(
            name: "DriftlessTour",
            dependencies: [
                .product(name: "Driftless", package: "Driftless"),
                .product(name: "DriftlessSQLite", package: "Driftless"),
            ]
        ),
        .executableTarget(
            name: "MigratingApp",
            dependencies: [
                .product(name: "Driftless", package: "Driftless"),
                .product(name: "DriftlessSQLite", package: "Driftless"),
                .product(name: "DriftlessMigrations", package: "Driftless"),
                .product(name: "DriftlessSQLiteMigrations", package: "Driftless"),
                .product(name: "DriftlessCommandLine", package: "Driftless"),
            ]
        ),
        // A SQLite app that migrates, and nothing of PostgreSQL: it builds and links without
        // libpq (`.ci/check-sqlite-only` checks its build and its binary).
        .executableTarget(
            name: "SQLiteOnlyApp",
            dependencies: [
                .product(name: "Driftless", package: "Driftless"),
                .product(name: "DriftlessSQLite", package: "Driftless"),
                .product(name: "DriftlessMigrations", package: "Driftless"),
                .product(name: "DriftlessSQLiteMigrations", package: "Driftless"),
            ]
        ),
        // The rollout proof (Samples/rollout, ROLLOUT.md): one HTTP service built as release v1
        // or v2 by a launch switch, and a load tool that checks every acknowledged write.
        .executableTarget(
            name: "RolloutService",
            dependencies: [
                .product(name: "Driftless", package: "Driftless"),
                .product(name: "DriftlessSQLite", package: "Driftless"),
                .product(name: "DriftlessPostgres", package: "Driftless"),
                .product(name: "DriftlessMigrations", package: "Driftless"),
                .product(name: "DriftlessSQLiteMigrations", package: "Driftless"),
                .product(name: "DriftlessPostgresMigrations", package: "Driftless"),
                .product(name: "DriftlessCommandLine", package: "Driftless"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/Rollout/RolloutService"
        ),
        // Drives the rollout: a bounded mix of reads and writes round-robin over the live
        // processes, a ledger of acknowledged writes read back at the end, and the figures.
        .executableTarget(
            name: "RolloutLoad",
            path: "Sources/Rollout/RolloutLoad"
        ),
    ],
    swiftLanguageModes: [.v6]
)
