import Driftless
import DriftlessPostgres
import Testing

/// The conformance suites (``ConformanceCase/all``), each on a PostgreSQL database of its own.
@Suite("PostgreSQL conformance", .enabled(if: TestPostgres.isEnabled, TestPostgres.skipReason))
struct PostgresConformanceTests {
    @Test(arguments: ConformanceCase.all)
    func conformance(_ check: ConformanceCase) async throws {
        try await check.run(with: PostgresFixture.self)
    }
}
