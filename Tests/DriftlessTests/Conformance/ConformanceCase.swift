import Foundation
import Driftless
import DriftlessPostgres
import Logging
import Testing

/// A backend's test fixture, as the conformance suites need it: a fresh, empty database of
/// the test's own, and a second, independent handle on it (another process or app instance).
protocol ConformanceFixture {
    associatedtype Database: TestDatabase
    init(drift: DriftConfiguration) throws
    /// A database whose reading pool holds `readers` connections.
    init(drift: DriftConfiguration, checkoutTimeout: Duration, readers: Int) throws
    var database: Database { get }
    func openAnother(drift: DriftConfiguration) throws -> Database
}

extension SQLiteFixture: ConformanceFixture {}
extension PostgresFixture: ConformanceFixture {
    init(drift: DriftConfiguration) throws {
        try self.init(drift: drift, maximumConnectionCount: 4)
    }

    init(drift: DriftConfiguration, checkoutTimeout: Duration, readers: Int) throws {
        try self.init(drift: drift, maximumConnectionCount: readers, checkoutTimeout: checkoutTimeout)
    }
}

/// Every conformance check, listed once. Each backend's suite runs all of them with its own
/// fixture (`@Test(arguments: ConformanceCase.all)`), so a check added here runs everywhere.
enum ConformanceCase: Sendable, CustomTestStringConvertible {
    /// The drift matrix: these non-key columns of `Member` missing.
    case driftMatrix(missing: Set<String>)
    /// Issue 10's constructs over the drift matrix: these non-key columns of `Member` missing.
    case expressiveMatrix(missing: Set<String>)
    case partialUpdateWritePolicies
    case newPlansAreCached
    case columnTypes
    case missingColumnTypes
    case textMatching
    case rawSQLPlaceholders
    case relations
    case steadyStateMakesNoFailingAttempt
    case onlyDriftedPlansCheckCatchUp
    case catchUpAfterAnotherConnectionAddsTheColumn
    case missingTable
    case writePolicies
    case unknownRequiredColumn
    case crud
    case queries
    case transactions
    case hostileNamesAndValues
    case rawSQLMapsByName
    case invalidRecord
    case asyncAPI
    case cursorBoundedMemory
    case cursorEarlyExit
    case cursorBodyUsesItsTransaction
    case batchInsertAllOrNothing
    case batchInsertDriftAcrossChunks
    case batchInsertExactForEveryValue
    case codableMapsKeysOncePerLayout
    case quotesInGraphemeClusters
    case nulInNamesAndValues
    case longNames
    case rawSQLRunsExactlyAsWritten
    case datesWritableExactlyWhenReadable
    case textIsNotADouble
    case defaultsServedAsDeclared
    case droppedValuesAreRedacted
    case asyncCallsLeaveTheCooperativePool
    case asyncTasksAllMakeProgress
    case asyncWaitersAreServedInOrder
    case asyncCheckoutTimesOut
    case asyncCancelledWaitStopsAtOnce
    case asyncCancelledStatementIsInterrupted
    case asyncCancelledTransactionRollsBack
    case asyncTransactions
    case asyncTransactionScopeEndsWithIt
    case asyncDriftRecovery
    case querySpans
    case overflowRoundTrip
    case overflowWithoutColumn
    case overflowConcurrentWritersDuringMove
    case renamePhases
    case renameTable

    /// The checks to run: ``every`` one, or those whose names start with
    /// `DRIFTLESS_CONFORMANCE_CASES` (to run one while debugging it).
    static let all: [ConformanceCase] = ProcessInfo.processInfo.environment["DRIFTLESS_CONFORMANCE_CASES"]
        .map { prefix in every.filter { "\($0)".hasPrefix(prefix) } } ?? every

    /// The drift matrix over every subset of the five non-key columns of `Member`, then the
    /// other checks.
    static let every: [ConformanceCase] = missingSubsets.map { .driftMatrix(missing: $0) }
        + missingSubsets.map { .expressiveMatrix(missing: $0) } + [
        .partialUpdateWritePolicies, .newPlansAreCached, .columnTypes, .missingColumnTypes, .textMatching, .rawSQLPlaceholders, .relations,
        .steadyStateMakesNoFailingAttempt, .onlyDriftedPlansCheckCatchUp,
        .catchUpAfterAnotherConnectionAddsTheColumn, .missingTable, .writePolicies,
        .unknownRequiredColumn, .crud, .queries, .transactions, .hostileNamesAndValues,
        .rawSQLMapsByName, .invalidRecord, .asyncAPI,
        .cursorBoundedMemory, .cursorEarlyExit, .cursorBodyUsesItsTransaction,
        .batchInsertAllOrNothing, .batchInsertDriftAcrossChunks, .batchInsertExactForEveryValue,
        .codableMapsKeysOncePerLayout,
        .asyncCallsLeaveTheCooperativePool, .asyncTasksAllMakeProgress, .asyncWaitersAreServedInOrder,
        .asyncCheckoutTimesOut, .asyncCancelledWaitStopsAtOnce, .asyncCancelledStatementIsInterrupted,
        .asyncCancelledTransactionRollsBack, .asyncTransactions, .asyncTransactionScopeEndsWithIt,
        .asyncDriftRecovery, .querySpans,
        .overflowRoundTrip, .overflowWithoutColumn, .overflowConcurrentWritersDuringMove, .renamePhases, .renameTable,
        .quotesInGraphemeClusters, .nulInNamesAndValues, .longNames, .rawSQLRunsExactlyAsWritten,
        .datesWritableExactlyWhenReadable, .textIsNotADouble, .defaultsServedAsDeclared, .droppedValuesAreRedacted,
    ]

    /// Every subset of the five non-key columns of `Member`.
    static let missingSubsets: [Set<String>] = (0..<32).map { mask in
        Set(Member.nonKeyColumns.enumerated().filter { mask & (1 << $0.offset) != 0 }.map(\.element))
    }

    var testDescription: String {
        if case .driftMatrix(let missing) = self {
            return "drift matrix, missing [\(Member.nonKeyColumns.filter(missing.contains).joined(separator: ", "))]"
        }
        if case .expressiveMatrix(let missing) = self {
            return "expressive matrix, missing [\(Member.nonKeyColumns.filter(missing.contains).joined(separator: ", "))]"
        }
        return "\(self)"
    }

    /// Runs the check on a fresh fixture of the backend.
    func run<Fixture: ConformanceFixture>(with _: Fixture.Type) async throws {
        let silent = DriftConfiguration(logger: LogCapture.silentLogger)
        func database() throws -> Fixture.Database { try Fixture(drift: silent).database }
        switch self {
        case .driftMatrix(let missing):
            try DriftConformance.matrixCase(in: database(), missing: missing)
        case .expressiveMatrix(let missing):
            try await ExpressiveConformance.matrixCase(in: database(), missing: missing)
        case .partialUpdateWritePolicies:
            try ExpressiveConformance.partialUpdateWritePolicies(in: database())
        case .newPlansAreCached:
            try ExpressiveConformance.newPlansAreCached(in: database())
        case .columnTypes:
            try TypesConformance.columnTypes(in: database())
        case .missingColumnTypes:
            try TypesConformance.missingColumnTypes(in: database())
        case .textMatching:
            try TypesConformance.textMatching(in: database())
        case .relations:
            try RelationConformance.relations(in: database())
        case .rawSQLPlaceholders:
            try ExpressiveConformance.rawSQLPlaceholders(in: database())
        case .steadyStateMakesNoFailingAttempt:
            try DriftConformance.steadyStateMakesNoFailingAttempt(in: database())
        case .onlyDriftedPlansCheckCatchUp:
            try DriftConformance.onlyDriftedPlansCheckCatchUp(in: database())
        case .catchUpAfterAnotherConnectionAddsTheColumn:
            let fixture = try Fixture(drift: DriftConfiguration(catchUpInterval: .milliseconds(50), logger: LogCapture.silentLogger))
            try DriftConformance.catchUp(in: fixture.database, other: fixture.openAnother(drift: silent))
        case .missingTable:
            try DriftConformance.missingTable(in: database())
        case .writePolicies:
            try DriftConformance.writePolicies(in: database())
        case .unknownRequiredColumn:
            try DriftConformance.unknownRequiredColumn(in: database())
        case .crud:
            try RepositoryConformance.crud(in: database())
        case .queries:
            try RepositoryConformance.queries(in: database())
        case .transactions:
            try RepositoryConformance.transactions(in: database())
        case .hostileNamesAndValues:
            try RepositoryConformance.hostileNamesAndValues(in: database())
        case .rawSQLMapsByName:
            try RepositoryConformance.rawSQLMapsByName(in: database())
        case .invalidRecord:
            try RepositoryConformance.invalidRecord(in: database())
        case .asyncAPI:
            try await RepositoryConformance.asyncAPI(in: database())
        case .cursorBoundedMemory:
            try CursorConformance.boundedMemory(in: database())
        case .cursorEarlyExit:
            try CursorConformance.earlyExit(in: database())
        case .cursorBodyUsesItsTransaction:
            try CursorConformance.bodyUsesItsTransaction(in: database())
        case .batchInsertAllOrNothing:
            try BatchInsertConformance.allOrNothing(in: database())
        case .batchInsertDriftAcrossChunks:
            try BatchInsertConformance.driftAcrossChunks(in: database())
        case .batchInsertExactForEveryValue:
            try BatchInsertConformance.exactForEveryValue(in: database())
        case .codableMapsKeysOncePerLayout:
            try CodableConformance.mapsKeysOncePerLayout(in: database())
        case .asyncCallsLeaveTheCooperativePool:
            let sites = ExecutionSites()
            try await AsyncConformance.callsLeaveTheCooperativePool(in: Fixture(drift: sites.drift).database, sites: sites)
        case .asyncTasksAllMakeProgress:
            let sites = ExecutionSites()
            try await AsyncConformance.manyTasksAllMakeProgress(in: Fixture(drift: sites.drift).database, sites: sites)
        case .asyncWaitersAreServedInOrder:
            let sites = ExecutionSites()
            let fixture = try Fixture(drift: sites.drift, checkoutTimeout: .seconds(30), readers: 1)
            try await AsyncConformance.waitersAreServedInOrder(in: fixture.database, sites: sites)
        case .asyncCheckoutTimesOut:
            let fixture = try Fixture(drift: silent, checkoutTimeout: .milliseconds(300), readers: 2)
            try await AsyncConformance.checkoutTimesOut(in: fixture.database, timeout: .milliseconds(300))
        case .asyncCancelledWaitStopsAtOnce:
            let fixture = try Fixture(drift: silent, checkoutTimeout: .seconds(30), readers: 2)
            try await AsyncConformance.cancelledWaitStopsAtOnce(in: fixture.database)
        case .asyncCancelledStatementIsInterrupted:
            let sites = ExecutionSites()
            try await AsyncConformance.cancelledStatementIsInterrupted(in: Fixture(drift: sites.drift).database, sites: sites)
        case .asyncCancelledTransactionRollsBack:
            let sites = ExecutionSites()
            try await AsyncConformance.cancelledTransactionRollsBack(in: Fixture(drift: sites.drift).database, sites: sites)
        case .asyncTransactions:
            try await AsyncConformance.asyncTransactions(in: database())
        case .asyncTransactionScopeEndsWithIt:
            try await AsyncConformance.transactionScopeEndsWithIt(in: database())
        case .asyncDriftRecovery:
            try await AsyncConformance.driftRecovery(in: database())
        case .querySpans:
            try await TracingConformance.querySpans(Fixture.self)
        case .overflowRoundTrip:
            try await OverflowConformance.roundTrip(in: database())
        case .overflowWithoutColumn:
            try await OverflowConformance.withoutOverflowColumn(in: database())
        case .overflowConcurrentWritersDuringMove:
            let fixture = try Fixture(drift: silent)
            let figures = try await OverflowConformance.concurrentWritersDuringMove(
                in: fixture.database, projected: fixture.openAnother(drift: DriftConfiguration(catchUpInterval: .seconds(3600), logger: LogCapture.silentLogger)))
            print("overflow concurrency (\(Fixture.self)): \(figures)")
        case .renamePhases:
            let fixture = try Fixture(drift: silent)
            try await RenameConformance.phases(in: fixture.database, oldBinary: fixture.openAnother(drift: silent))
        case .renameTable:
            try await RenameConformance.tableRename(in: database())
        case .quotesInGraphemeClusters:
            try HostileInputConformance.quotesInGraphemeClusters(in: database())
        case .nulInNamesAndValues:
            try HostileInputConformance.nul(in: database())
        case .longNames:
            try HostileInputConformance.longNames(in: database())
        case .rawSQLRunsExactlyAsWritten:
            try HostileInputConformance.rawSQL(in: database())
        case .datesWritableExactlyWhenReadable:
            try HostileInputConformance.dates(in: database())
        case .textIsNotADouble:
            try HostileInputConformance.textIsNotADouble(in: database())
        case .defaultsServedAsDeclared:
            try HostileInputConformance.defaultsServedAsDeclared(in: database())
        case .droppedValuesAreRedacted:
            try HostileInputConformance.droppedValuesAreRedacted(with: Fixture.self)
        }
    }
}
