import Driftless
@testable import DriftlessMigrations
import DriftlessPostgres
import DriftlessPostgresMigrations
import DriftlessSQLite
import DriftlessSQLiteMigrations
import Testing

@Suite("Offline rendering")
struct OfflineRenderingTests {
    @Test func sqlitePlaceholdersBecomeLiterals() throws {
        let sql = "INSERT INTO t (a, b, c, d) VALUES (?, ?, ?, ?) -- what?\n/* ? */ ; SELECT '?', \"?\", ?"
        let inlined = try PlaceholderInliner.inline(sql, arguments: [1, "it's", .null, .blob([0, 255]), 2.5], dialect: .sqlite)
        #expect(inlined == "INSERT INTO t (a, b, c, d) VALUES (1, 'it''s', NULL, X'00FF') -- what?\n/* ? */ ; SELECT '?', \"?\", 2.5")
        #expect(try PlaceholderInliner.inline("SELECT ?2, ?1", arguments: ["a", "b"], dialect: .sqlite) == "SELECT 'b', 'a'")
        #expect(try PlaceholderInliner.inline("SELECT ?2, ?", arguments: ["a", "b", "c"], dialect: .sqlite) == "SELECT 'b', 'c'")
    }

    /// PostgreSQL values become untyped quoted literals, typed by the server from context
    /// like the text-format parameters the online run sends.
    @Test func postgresPlaceholdersBecomeUntypedLiterals() throws {
        let sql = "UPDATE t SET a = $1, b = $2, c = $3 WHERE d = $4 AND e = '$1' AND f = $$ $1 $$ AND g = $5"
        let inlined = try PlaceholderInliner.inline(sql, arguments: [42, "x", .blob([1, 171]), .null, 1.5], dialect: .postgres)
        #expect(inlined == "UPDATE t SET a = '42', b = 'x', c = '\\x01ab' WHERE d = NULL AND e = '$1' AND f = $$ $1 $$ AND g = '1.5'")
    }

    /// A placeholder without a value, or a named one, is an error rather than a silent NULL.
    @Test func placeholdersWithoutValuesAreErrors() {
        #expect(throws: MigrationError.self) { try PlaceholderInliner.inline("SELECT ?, ?", arguments: [1], dialect: .sqlite) }
        #expect(throws: MigrationError.self) { try PlaceholderInliner.inline("SELECT $2", arguments: [1], dialect: .postgres) }
        #expect(throws: MigrationError.self) { try PlaceholderInliner.inline("SELECT :name", arguments: [1], dialect: .sqlite) }
    }

    /// Statements outside a transaction are sent one at a time: semicolons in literals,
    /// comments, dollar-quoted bodies and trigger bodies do not split.
    @Test func statementsSplitAtTopLevelSemicolonsOnly() {
        let script = """
            CREATE TABLE a (x text DEFAULT ';');
            -- a comment; with a semicolon
            CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;
            CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE a SET x = CASE WHEN 1 THEN 'y' END; END;
            /* only a comment */
            """
        let statements = SQLTokenizer(syntax: PostgresDialect.postgres.syntax).statementTexts(script)
        #expect(statements == [
            "CREATE TABLE a (x text DEFAULT ';')",
            "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql",
            "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE a SET x = CASE WHEN 1 THEN 'y' END; END",
        ])
        // SQLite ends a block comment at the first */ and quotes names with [ ] and backticks.
        let sqlite = "CREATE TABLE [a;b] (`c;d` TEXT); /* x /* y */ DROP TABLE z;"
        #expect(SQLTokenizer(syntax: SQLiteDialect.sqlite.syntax).statementTexts(sqlite) == ["CREATE TABLE [a;b] (`c;d` TEXT)", "DROP TABLE z"])
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
