import Driftless
import DriftlessSQLite
import Testing

/// The conformance suites (``ConformanceCase/all``), on SQLite files.
@Suite("SQLite conformance")
struct SQLiteConformanceTests {
    @Test(arguments: ConformanceCase.all)
    func conformance(_ check: ConformanceCase) async throws {
        try await check.run(with: SQLiteFixture.self)
    }
}
