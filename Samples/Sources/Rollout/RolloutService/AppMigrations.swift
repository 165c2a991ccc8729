import DriftlessMigrations

/// The service's schema history: expand → contract.
///
/// A release starts with the migrations it ships (``startup(for:)``); the contract step is
/// applied by an operator (`RolloutService migrate upgrade head`) once no live process needs
/// the old column, so no binary applies it at startup.
enum AppMigrations {
    static let base = "a1f0c0de0001"
    static let expand = "b2f0c0de0002"
    static let backfill = "c2f0c0de0025"
    static let contract = "c3f0c0de0003"

    /// The migrations a release applies at startup.
    static func startup(for release: Release, backend: Backend) -> [Migration] {
        switch release {
        case .v1: [create(backend)]
        case .v2: [create(backend), addPlanAndDisplayName]
        }
    }

    /// Every migration, the contract step included (for the `migrate` commands).
    static func all(backend: Backend) -> [Migration] {
        [create(backend), addPlanAndDisplayName, copyName(backend), dropName]
    }

    /// Release 1's tables. `users` has the overflow JSON column from the start: `.keep`
    /// columns of later releases keep their values there until their own column exists.
    static func create(_ backend: Backend) -> Migration {
        Migration(base, "create users and posts") { up in
            up.createTable("users") {
                TableColumn("id", .integer, primaryKey: true)
                TableColumn("name", .text, nullable: false, default: "")
                TableColumn("email", .text)
            }
            up.execute("ALTER TABLE users ADD COLUMN driftless_overflow \(backend.jsonType)")
            up.createTable("posts") {
                TableColumn("id", .integer, primaryKey: true)
                TableColumn("user_id", .integer, nullable: false, default: 0)
                TableColumn("title", .text, nullable: false, default: "")
                TableColumn("body", .text, nullable: false, default: "")
            }
        } downgrade: { down in
            down.dropTable("posts")
            down.dropTable("users")
        }
    }

    /// Release 2's expand step: a new column, and the new name of `users.name` beside the old.
    static let addPlanAndDisplayName = Migration(expand, "add users.plan and users.display_name", parents: [base]) { up in
        up.lockTimeout(.seconds(2))
        up.addColumn("plan", .text, to: "users", nullable: false, default: "free")
        up.addColumn("display_name", .text, to: "users")
    } downgrade: { down in
        down.dropColumn("display_name", from: "users")
        down.dropColumn("plan", from: "users")
    }

    /// The backfill, once no v1 is left: every live release writes both names, so the old
    /// column holds the newest value and only rows that differ are copied (in batches, after
    /// the migration commits; rerunnable with `migrate backfill --revision`).
    static func copyName(_ backend: Backend) -> Migration {
        Migration(backfill, "copy users.name into users.display_name", parents: [expand]) { up in
            up.backfill(table: "users", set: "display_name = name", where: "display_name \(backend.isDistinctFrom) name",
                        batchSize: 200, lockTimeout: .seconds(2))
        } downgrade: { _ in }
    }

    /// The contract step: the old name goes once no live process uses it under that name (the
    /// migrator checks the fleet and refuses while a v1 is registered).
    static let dropName = Migration(contract, "drop users.name", parents: [backfill], acknowledging: [.dropColumn]) { up in
        up.lockTimeout(.seconds(2))
        up.dropColumn("name", from: "users")
    } downgrade: { down in
        down.addColumn("name", .text, to: "users", nullable: false, default: "")
    }
}

/// The database a process serves.
enum Backend: String, Sendable {
    case sqlite, postgres

    init(url: String) {
        self = url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") ? .postgres : .sqlite
    }

    /// SQL's null-safe "differs" operator.
    var isDistinctFrom: String {
        switch self {
        case .sqlite: "IS NOT"
        case .postgres: "IS DISTINCT FROM"
        }
    }

    /// The type of the overflow column: what Driftless reads it as on this backend.
    var jsonType: String {
        switch self {
        case .sqlite: "TEXT"
        case .postgres: "jsonb"
        }
    }
}
