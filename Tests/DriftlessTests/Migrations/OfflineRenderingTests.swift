import Driftless
@testable import DriftlessMigrations
import DriftlessPostgres
import DriftlessSQLite
import Testing

@Suite("Offline rendering")
struct OfflineRenderingTests {
    @Test func sqlitePlaceholdersBecomeLiterals() {
        let sql = "INSERT INTO t (a, b, c, d) VALUES (?, ?, ?, ?) -- what?\n/* ? */ ; SELECT '?', \"?\", ?"
        let inlined = PlaceholderInliner.inline(sql, arguments: [1, "it's", .null, .blob([0, 255]), 2.5], dialect: .sqlite)
        #expect(inlined == "INSERT INTO t (a, b, c, d) VALUES (1, 'it''s', NULL, X'00FF') -- what?\n/* ? */ ; SELECT '?', \"?\", 2.5")
        #expect(PlaceholderInliner.inline("SELECT ?2, ?1", arguments: ["a", "b"], dialect: .sqlite) == "SELECT 'b', 'a'")
    }

    /// PostgreSQL values become untyped quoted literals, typed by the server from context
    /// like the text-format parameters the online run sends.
    @Test func postgresPlaceholdersBecomeUntypedLiterals() {
        let sql = "UPDATE t SET a = $1, b = $2, c = $3 WHERE d = $4 AND e = '$1' AND f = $$ $1 $$"
        let inlined = PlaceholderInliner.inline(sql, arguments: [42, "x", .blob([1, 171]), .null], dialect: .postgres)
        #expect(inlined == "UPDATE t SET a = '42', b = 'x', c = '\\x01ab' WHERE d = NULL AND e = '$1' AND f = $$ $1 $$")
    }

    @Test func statementSplitterRespectsQuotesCommentsAndBodies() {
        let script = """
            CREATE TABLE a (x text DEFAULT ';');
            -- a comment; with a semicolon
            CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;
            CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE a SET x = CASE WHEN 1 THEN 'y' END; END;
            /* only a comment */
            """
        let statements = SQLStatementSplitter.split(script)
        #expect(statements.count == 3)
        #expect(statements[0] == "CREATE TABLE a (x text DEFAULT ';');")
        #expect(statements[1].hasSuffix("$body$ LANGUAGE sql;"))
        #expect(statements[2].hasSuffix("END; END;"))
    }

    @Test func showRendersOneMigrationForTheDialect() throws {
        let graph = try RevisionGraph(SampleHistory.migrations(.postgres))
        let statements = try OfflineMigrationScript<PostgresDatabase>(graph: graph).statements(of: "e5", direction: .downgrade)
        #expect(statements == ["DELETE FROM users WHERE id = '1';"])
    }

    @Test func stampScriptUpdatesOnlyTheVersionTable() throws {
        let graph = try RevisionGraph(SampleHistory.migrations(.sqlite))
        let script = try OfflineMigrationScript<SQLiteDatabase>(graph: graph).stamp(["c3"], from: "a1")
        #expect(script.contains("UPDATE \"driftless_version\" SET version_num = 'c3' WHERE version_num = 'a1';"))
        #expect(!script.contains("CREATE INDEX"))
    }
}
