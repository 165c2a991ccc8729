import Driftless
import DriftlessMigrations
import Foundation
import Logging
import Testing

/// Users as release 1.0 declares them: it still reads `api_key`.
struct FleetUserV1: Record, Codable {
    var id: Int64
    var name: String
    var apiKey: String?
    static let schema = RecordSchema<FleetUserV1>(table: "users") {
        Column("id", \.id, primaryKey: true)
        Column("name", \.name, default: "")
        Column("api_key", \.apiKey)
    }
}

/// Release 2.0: `api_key` gone, `name` known as the previous name of `full_name`.
struct FleetUserV2: Record, Codable {
    var id: Int64
    var fullName: String
    static let schema = RecordSchema<FleetUserV2>(table: "users") {
        Column("id", \.id, primaryKey: true)
        Column("full_name", \.fullName, default: "", previousNames: ["name"])
    }
}

/// The zero-downtime checks that need the migrator, on every backend.
enum ZeroDowntimeMigrationCase: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case fleetRegistrationAndExpiry
    case migratorRefusesContractStepsLiveProcessesNeed
    case migrationMovesOverflowValues
    case batchedBackfillRunsAfterCommit

    var testDescription: String { rawValue }

    func run<Fixture: MigrationFixture>(with _: Fixture.Type) async throws where Fixture.Database: TestDatabase {
        let silent = DriftConfiguration(logger: LogCapture.silentLogger)
        let fixture = try Fixture(drift: silent)
        switch self {
        case .fleetRegistrationAndExpiry:
            try await ZeroDowntimeChecks.fleetRegistrationAndExpiry(fixture.database, other: fixture.openAnother(drift: silent))
        case .migratorRefusesContractStepsLiveProcessesNeed:
            try await ZeroDowntimeChecks.refusesContractSteps(fixture.database, other: fixture.openAnother(drift: silent))
        case .migrationMovesOverflowValues:
            try await ZeroDowntimeChecks.migrationMovesOverflowValues(fixture.database)
        case .batchedBackfillRunsAfterCommit:
            try ZeroDowntimeChecks.batchedBackfill(fixture.database)
        }
    }
}

enum ZeroDowntimeChecks {
    /// `up.backfill` runs after its migration commits, in bounded batches with progress, and
    /// again finds nothing to do; offline it is one UPDATE the database's own client runs.
    static func batchedBackfill<D: MigrationTestDatabase & TestDatabase>(_ db: D) throws {
        let create = Migration("a1", "users") { up in
            up.execute("CREATE TABLE users (id \(db.sqlType(.integer)) PRIMARY KEY, name \(db.sqlType(.text)) NOT NULL, full_name \(db.sqlType(.text)))")
            up.execute("INSERT INTO users (id, name) SELECT n, 'user ' || n FROM (" + (1...250).map { "SELECT \($0) AS n" }.joined(separator: " UNION ALL ") + ") AS numbers")
        } downgrade: { down in down.dropTable("users") }
        let backfill = Migration("b2", "backfill full_name", parents: ["a1"]) { up in
            up.backfill(table: "users", set: "full_name = name", where: "full_name IS NULL", batchSize: 40)
        } downgrade: { _ in }
        let migrator = try db.migrator([create, backfill])
        var batches: [Int] = []
        var committedBeforeBackfill = false
        try migrator.upgrade { event in
            if case .finished(let step, _, _, _) = event, step.revision.id == "b2" { committedBeforeBackfill = batches.isEmpty }
            if case .backfilled(_, let table, let rows, let count) = event {
                #expect(table == TableName("users"))
                batches.append(rows)
                #expect(count == batches.count)
            }
        }
        #expect(committedBeforeBackfill, "the version update commits before the backfill's batches")
        #expect(batches == [40, 80, 120, 160, 200, 240, 250])
        #expect(try db.strings("SELECT COUNT(*) FROM users WHERE full_name IS NULL OR full_name <> name") == ["0"])
        #expect(try migrator.rerunBackfills(of: "b2") == 0)

        // Offline: one statement, after the migration's commit.
        let script = try OfflineMigrationScript<D>(graph: migrator.graph).upgrade("a1:b2")
        #expect(script.contains("-- Backfill of users: online it runs in batches of 40 rows"), "\(script)")
        #expect(script.contains("UPDATE \"users\" SET full_name = name WHERE full_name IS NULL;"), "\(script)")
    }

    static let createUsers = Migration("a1", "users") { up in
        up.createTable("users") {
            TableColumn("id", .integer, primaryKey: true)
            TableColumn("name", .text, nullable: false, default: "")
            TableColumn("api_key", .text)
        }
    } downgrade: { down in down.dropTable("users") }

    static func fleetRegistrationAndExpiry<D: MigrationTestDatabase & TestDatabase>(_ db: D, other: D) async throws {
        #expect(try await db.fleetMembers().isEmpty)  // no table yet: nobody registered
        // Long lives: a test process may starve these tasks (and their heartbeats) for a while.
        let v1 = try await db.joinFleet(records: [FleetUserV1.self], release: "1.0", timeToLive: .seconds(3600))
        let v2 = try await other.joinFleet(records: [FleetUserV2.self], release: "2.0", timeToLive: .seconds(3600))
        var members = try await db.fleetMembers()
        #expect(Set(members.map(\.release)) == ["1.0", "2.0"])
        let old = try #require(members.first { $0.release == "1.0" })
        let new = try #require(members.first { $0.release == "2.0" })
        #expect(old.pid == Int64(ProcessInfo.processInfo.processIdentifier))
        #expect(old.fingerprint != new.fingerprint)
        #expect(old.fingerprint == FleetSchema(records: [FleetUserV1.self]).fingerprint)
        #expect(old.schema.use(of: TableName("users"), column: "api_key", caseInsensitive: db.isSQLite) == .current)
        #expect(new.schema.use(of: TableName("users"), column: "api_key", caseInsensitive: db.isSQLite) == nil)
        #expect(new.schema.use(of: TableName("users"), column: "name", caseInsensitive: db.isSQLite) == .previous)
        #expect(new.schema.use(of: TableName("users"), column: "full_name", caseInsensitive: db.isSQLite) == .current)

        // A process that dies without leaving stops counting when its entry expires.
        do {
            let crashed = try await db.joinFleet(records: [FleetUserV1.self], release: "0.9", timeToLive: .milliseconds(600))
            #expect(try await db.fleetMembers(includingExpired: true).contains { $0.id == crashed.member.id })
        }  // released without leave(): heartbeats stop, the row stays
        try await Task.sleep(for: .milliseconds(900))
        members = try await db.fleetMembers()
        #expect(Set(members.map(\.release)) == ["1.0", "2.0"])
        #expect(try await db.fleetMembers(includingExpired: true).contains { $0.release == "0.9" })

        // Heartbeats renew a short-lived entry, every third of its life.
        let beating = try await db.joinFleet(records: [FleetUserV2.self], release: "2.1", timeToLive: .milliseconds(900))
        let first = beating.member
        var renewed: FleetMember?
        for _ in 0..<600 where renewed == nil {
            try await Task.sleep(for: .milliseconds(50))
            renewed = try await db.fleetMembers(includingExpired: true).first { $0.release == "2.1" && $0.heartbeat > first.heartbeat }
        }
        #expect(renewed.map { $0.expires > first.expires && $0.id == first.id } == true, "no heartbeat renewed the entry")

        // Leaving removes the entry at once.
        try await v1.leave()
        try await beating.leave()
        #expect(try await db.fleetMembers().map(\.release) == ["2.0"])
        try await v2.leave()
        #expect(try await db.fleetMembers().isEmpty)
    }

    static func refusesContractSteps<D: MigrationTestDatabase & TestDatabase>(_ db: D, other: D) async throws {
        let dropKey = Migration("b2", "drop api_key", parents: ["a1"]) { up in up.dropColumn("api_key", from: "users") }
            downgrade: { down in down.addColumn("api_key", .text, to: "users") }
        let renameName = Migration("c3", "rename name", parents: ["b2"]) { up in
            up.execute("ALTER TABLE users RENAME COLUMN name TO full_name")
        } downgrade: { down in down.renameColumn("full_name", to: "name", in: "users") }
        let migrator = try db.migrator([createUsers, dropKey, renameName])
        try migrator.upgrade(to: "a1")

        let v1 = try await other.joinFleet(records: [FleetUserV1.self], release: "1.0", timeToLive: .seconds(3600))
        let v2 = try await other.joinFleet(records: [FleetUserV2.self], release: "2.0", timeToLive: .seconds(3600))
        let report = try migrator.fleetReport()
        #expect(report.releases.map(\.release) == ["1.0", "2.0"], "\(report.members) at \(Date())")
        #expect(report.blockedSteps.map(\.revision) == ["b2", "c3"])  // both still needed by 1.0
        #expect(report.blockedSteps.allSatisfy { $0.releases == ["1.0"] })

        #expect {
            try migrator.upgrade()
        } throws: { error in
            guard let error = error as? MigrationError else { return false }
            return error.code == .contractInUse && error.revision == "b2" && error.table == "users"
                && error.column == "api_key" && error.related == ["1.0"] && "\(error)".contains("--force")
        }
        #expect(try migrator.currentRevisions() == ["a1"])
        #expect(try db.strings("SELECT COUNT(*) FROM users WHERE api_key IS NULL") == ["0"])  // the column is still there

        // Release 1.0 is gone: 2.0 knows `name` only as a previous name, so both steps may run.
        try await v1.leave()
        #expect(try migrator.fleetReport().blockedSteps.isEmpty)
        try migrator.upgrade()
        #expect(try migrator.currentRevisions() == ["c3"])

        // Downgrades are checked too: reverting c3 renames away what 2.0 reads. Forcing runs it.
        #expect(throws: MigrationError.self) { try migrator.downgrade(to: "a1") }
        #expect(try migrator.currentRevisions() == ["c3"])
        var configuration = migrator.configuration
        configuration.checksFleet = false
        let forced = Migrator(database: db, graph: migrator.graph, configuration: configuration)
        try forced.downgrade(to: "a1")
        let back = try await other.joinFleet(records: [FleetUserV1.self], release: "1.0", timeToLive: .seconds(3600))
        #expect(throws: MigrationError.self) { try migrator.upgrade() }
        try forced.upgrade()
        #expect(try migrator.currentRevisions() == ["c3"])
        try await back.leave()
        try await v2.leave()
    }

    static func migrationMovesOverflowValues<D: MigrationTestDatabase & TestDatabase>(_ db: D) async throws {
        let create = Migration("a1", "tickets") { up in
            up.execute("CREATE TABLE tickets (id \(db.sqlType(.integer)) PRIMARY KEY, title \(db.sqlType(.text)) NOT NULL DEFAULT '', driftless_overflow \(db.overflowSQLType))")
        } downgrade: { down in down.dropTable("tickets") }
        let add = Migration("b2", "ticket columns", parents: ["a1"]) { up in
            for (name, type) in Ticket.keptColumns { up.addColumn(name, type, to: "tickets") }
        } downgrade: { _ in }
        let migrator = try db.migrator([create, add])
        try migrator.upgrade(to: "a1")
        var random = PropertyRandom.forSuite("migration moves overflow")
        let written = (1...25).map { Ticket.generated(id: Int64($0), using: &random, sqlite: db.isSQLite) }
        try await db.repository(Ticket.self).insert(contentsOf: written)
        #expect(try OverflowConformance.overflowKeyCount(in: db) == 25 * Ticket.keptColumns.count)

        try migrator.upgrade()
        #expect(try OverflowConformance.overflowKeyCount(in: db) == 0)
        let stored = try await db.repository(PlainTicket.self).fetchAll(PlainTicket.order(.ascending(\.ticket.id))).map(\.ticket)
        #expect(stored.count == written.count)
        for (got, want) in zip(stored, written) where !got.matches(want, sqliteReal: db.isSQLite) {
            Issue.record("row \(want.id) holds \(got) after the migration, wrote \(want); \(PropertyRandom.replay("ZeroDowntime"))")
        }
    }
}
