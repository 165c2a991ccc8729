import Driftless
import DriftlessPostgres
import DriftlessSQLite
import Logging
import Testing

/// A backend fixture whose database the migrator can drive.
protocol MigrationFixture: ConformanceFixture where Database: MigrationTestDatabase {}

extension SQLiteFixture: MigrationFixture {}
extension PostgresFixture: MigrationFixture {}

/// Every migration conformance check, listed once; each backend's suite runs them all.
enum MigrationCase: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case roundTripRestoresTheExactSchema
    case branchesAndMergesKeepOneRowPerHead
    case autoMigrationSkipsTheLockAtHead
    case builderOperationsRoundTrip
    case failedMigrationRollsBack
    case nonTransactionalMigration
    case stampAndPurge
    case migrateToLatest
    case concurrentMigratorsApplyEachMigrationOnce
    case migrationInvalidatesTheSchemaCache
    case startupFallsBackToCreatingMissingTables
    case offlineCommentsCarryNoSQL
    case checksumsCatchChangedMigrations
    case versionTablesFromBeforeChecksumsUpgradeInPlace
    case repeatableMigrationsRerunWhenChanged
    case autogenerateRefusesWhileBehind
    case failingStatementIsNamedWithItsLine
    case stampOneParentOfAMerge

    var testDescription: String { rawValue }

    func run<Fixture: MigrationFixture>(with _: Fixture.Type) throws {
        let silent = DriftConfiguration(logger: LogCapture.silentLogger)
        func database() throws -> Fixture.Database { try Fixture(drift: silent).database }
        switch self {
        case .roundTripRestoresTheExactSchema:
            try MigratorConformance.roundTripRestoresTheExactSchema(database())
        case .branchesAndMergesKeepOneRowPerHead:
            try MigratorConformance.branchesAndMergesKeepOneRowPerHead(database())
        case .autoMigrationSkipsTheLockAtHead:
            try MigratorConformance.autoMigrationSkipsTheLockAtHead(database())
        case .builderOperationsRoundTrip:
            try MigratorConformance.builderOperationsRoundTrip(database())
        case .failedMigrationRollsBack:
            try MigratorConformance.failedMigrationRollsBack(database())
        case .nonTransactionalMigration:
            try MigratorConformance.nonTransactionalMigration(database())
        case .stampAndPurge:
            try MigratorConformance.stampAndPurge(database())
        case .migrateToLatest:
            try MigratorConformance.migrateToLatest(database())
        case .concurrentMigratorsApplyEachMigrationOnce:
            let fixture = try Fixture(drift: silent)
            try MigratorConformance.concurrentMigratorsApplyEachMigrationOnce(
                [fixture.database] + (1..<4).map { _ in try fixture.openAnother(drift: silent) })
        case .migrationInvalidatesTheSchemaCache:
            // A catch-up interval far beyond the test: only the migrator's invalidation helps.
            let fixture = try Fixture(drift: DriftConfiguration(catchUpInterval: .seconds(3600), logger: LogCapture.silentLogger))
            try MigratorConformance.migrationInvalidatesTheSchemaCache(fixture.database)
        case .startupFallsBackToCreatingMissingTables:
            try MigratorConformance.startupFallsBackToCreatingMissingTables(database())
        case .offlineCommentsCarryNoSQL:
            try MigratorConformance.offlineCommentsCarryNoSQL(database())
        case .checksumsCatchChangedMigrations:
            try MigratorConformance.checksumsCatchChangedMigrations(database())
        case .versionTablesFromBeforeChecksumsUpgradeInPlace:
            try MigratorConformance.versionTablesFromBeforeChecksumsUpgradeInPlace(database())
        case .repeatableMigrationsRerunWhenChanged:
            try MigratorConformance.repeatableMigrationsRerunWhenChanged(database())
        case .autogenerateRefusesWhileBehind:
            try MigratorConformance.autogenerateRefusesWhileBehind(database())
        case .failingStatementIsNamedWithItsLine:
            try MigratorConformance.failingStatementIsNamedWithItsLine(database())
        case .stampOneParentOfAMerge:
            try MigratorConformance.stampOneParentOfAMerge(database())
        }
    }
}
