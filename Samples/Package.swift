// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "DriftlessSamples",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Driftless", path: "../"),
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
    ],
    swiftLanguageModes: [.v6]
)
