// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Driftless",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Driftless", targets: ["Driftless"]),
        .library(name: "DriftlessSQLite", targets: ["DriftlessSQLite"]),
        .library(name: "DriftlessPostgres", targets: ["DriftlessPostgres"]),
        .library(name: "DriftlessMigrations", targets: ["DriftlessMigrations"]),
        .library(name: "DriftlessSQLiteMigrations", targets: ["DriftlessSQLiteMigrations"]),
        .library(name: "DriftlessPostgresMigrations", targets: ["DriftlessPostgresMigrations"]),
        .library(name: "DriftlessCommandLine", targets: ["DriftlessCommandLine"]),
        .executable(name: "driftless", targets: ["DriftlessCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        // Only `swift package generate-documentation` uses it; it builds nothing into the library.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]
        ),
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"]), .brew(["libpq"])]
        ),
        .target(
            name: "Driftless",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),
        .target(
            name: "DriftlessSQLite",
            dependencies: ["Driftless", "CSQLite"]
        ),
        .target(
            name: "DriftlessPostgres",
            dependencies: ["Driftless", "CLibPQ"]
        ),
        // The migration engine knows no backend: an app that migrates SQLite links neither
        // libpq nor the PostgreSQL backend (`.ci/check-sqlite-only` proves it).
        .target(
            name: "DriftlessMigrations",
            dependencies: [
                "Driftless",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HeapModule", package: "swift-collections"),
            ]
        ),
        .target(
            name: "DriftlessSQLiteMigrations",
            dependencies: ["Driftless", "DriftlessSQLite", "DriftlessMigrations"]
        ),
        .target(
            name: "DriftlessPostgresMigrations",
            dependencies: ["Driftless", "DriftlessPostgres", "DriftlessMigrations"]
        ),
        .target(
            name: "DriftlessCommandLine",
            dependencies: [
                "Driftless",
                "DriftlessSQLite",
                "DriftlessPostgres",
                "DriftlessMigrations",
                "DriftlessSQLiteMigrations",
                "DriftlessPostgresMigrations",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "DriftlessCLI",
            dependencies: ["DriftlessCommandLine"]
        ),
        // An app embedding `DriftlessCommand` with Swift migrations of its own: the tests run
        // it as separate processes (concurrent startup, a process killed mid-migration).
        .executableTarget(
            name: "DriftlessTestApp",
            dependencies: [
                "Driftless", "DriftlessMigrations", "DriftlessSQLiteMigrations", "DriftlessPostgresMigrations",
                "DriftlessCommandLine",
            ],
            path: "Tests/DriftlessTestApp"
        ),
        // The README tour's top-level `try await users.find(1)`: the tests run it and check
        // that the await reached the async API.
        .executableTarget(
            name: "DriftlessTopLevelApp",
            dependencies: ["Driftless", "DriftlessSQLite"],
            path: "Tests/DriftlessTopLevelApp"
        ),
        .testTarget(
            name: "DriftlessTests",
            dependencies: [
                "Driftless", "DriftlessSQLite", "DriftlessPostgres", "DriftlessMigrations",
                "DriftlessSQLiteMigrations", "DriftlessPostgresMigrations",
                "DriftlessCommandLine", "CSQLite", "CLibPQ", "DriftlessTestApp", "DriftlessCLI",
                "DriftlessTopLevelApp",
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
