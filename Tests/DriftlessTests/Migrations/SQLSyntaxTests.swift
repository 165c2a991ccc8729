import Driftless
@testable import DriftlessMigrations
import Testing

/// Each dialect's ``SQLSyntax`` says how its database reads SQL text; the lint, offline
/// rendering and non-transactional scripts rely on it. Checked against the real databases.
@Suite("SQL syntax of each dialect")
struct SQLSyntaxTests {
    /// Where a `--` comment ends: PostgreSQL ends it at `\r` too, so the statement after it
    /// runs; SQLite reads the rest of the line as comment.
    @Test(arguments: OperationBackend.enabled)
    func lineCommentsEndWhereTheDatabaseEndsThem(_ backend: OperationBackend) throws {
        let db = try backend.makeDatabase()
        let script = "CREATE TABLE probe (x \(db.type(.integer))); -- a comment\rDROP TABLE probe;"
        try db.withConnection { try $0.executeScript(script) }
        let endsAtReturn = db.dialect.syntax.lineCommentsEndAtCarriageReturn
        #expect((try db.reflect("probe") == nil) == endsAtReturn)
        #expect(SQLTokenizer(syntax: db.dialect.syntax).statements(script).count == (endsAtReturn ? 2 : 1))
    }
}
