import Driftless
import DriftlessSQLite
import Testing

/// The conformance suites, on SQLite files.
@Suite("SQLite conformance")
struct SQLiteConformanceTests {
    /// Every subset of the five non-key columns of `Member`, missing.
    static let missingSubsets: [Set<String>] = (0..<32).map { mask in
        Set(Member.nonKeyColumns.enumerated().filter { mask & (1 << $0.offset) != 0 }.map(\.element))
    }

    @Test("drift matrix", arguments: missingSubsets)
    func driftMatrix(missing: Set<String>) throws {
        try DriftConformance.matrixCase(in: SQLiteFixture().database, missing: missing)
    }

    @Test func steadyStateMakesNoFailingAttempt() throws {
        try DriftConformance.steadyStateMakesNoFailingAttempt(in: SQLiteFixture().database)
    }

    @Test func onlyDriftedPlansCheckCatchUp() throws {
        try DriftConformance.onlyDriftedPlansCheckCatchUp(in: SQLiteFixture().database)
    }

    @Test func catchUpAfterAnotherConnectionAddsTheColumn() throws {
        let fixture = try SQLiteFixture(drift: DriftConfiguration(catchUpInterval: .milliseconds(50), logger: LogCapture.silentLogger))
        try DriftConformance.catchUp(in: fixture.database, other: fixture.openAnother())
    }

    @Test func missingTable() throws {
        try DriftConformance.missingTable(in: SQLiteFixture().database)
    }

    @Test func writePolicies() throws {
        try DriftConformance.writePolicies(in: SQLiteFixture().database)
    }

    @Test func unknownRequiredColumn() throws {
        try DriftConformance.unknownRequiredColumn(in: SQLiteFixture().database)
    }

    @Test func crud() throws {
        try RepositoryConformance.crud(in: SQLiteFixture().database)
    }

    @Test func queries() throws {
        try RepositoryConformance.queries(in: SQLiteFixture().database)
    }

    @Test func transactions() throws {
        try RepositoryConformance.transactions(in: SQLiteFixture().database)
    }

    @Test func hostileNamesAndValues() throws {
        try RepositoryConformance.hostileNamesAndValues(in: SQLiteFixture().database)
    }

    @Test func rawSQLMapsByName() throws {
        try RepositoryConformance.rawSQLMapsByName(in: SQLiteFixture().database)
    }

    @Test func invalidRecord() throws {
        try RepositoryConformance.invalidRecord(in: SQLiteFixture().database)
    }

    @Test func asyncAPI() async throws {
        try await RepositoryConformance.asyncAPI(in: SQLiteFixture().database)
    }
}
