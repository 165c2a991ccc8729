import Driftless
import DriftlessMigrations
import DriftlessPostgres
import DriftlessSQLite
import Foundation
import Testing

/// Migration operations with names and defaults that break naive quoting, online and as
/// offline scripts run through `sqlite3` and `psql -v ON_ERROR_STOP=1`: they create what they
/// name and nothing else, or they are errors before anything is sent.
@Suite("Hostile migration operations")
struct HostileOperationTests {
    @Test func sqlite() throws { try HostileOperations<SQLitePropertyBackend>.run() }

    @Test(.enabled(if: TestPostgres.isEnabled, TestPostgres.skipReason))
    func postgres() throws { try HostileOperations<PostgresPropertyBackend>.run() }

    /// SQLite's ADD COLUMN accepts only constant defaults; an exact real that SQLite's decimal
    /// parser would round (0.1) is an expression, so the column is added by a rebuild, and
    /// old rows read the default bit for bit.
    @Test func sqliteAddsColumnsWithExactRealDefaults() throws {
        let db = try SQLiteOperationDatabase()
        try db.execute("CREATE TABLE prices (id INTEGER PRIMARY KEY)")
        try db.execute("INSERT INTO prices (id) VALUES (1)")
        try db.migrate { up in
            up.addColumn("rate", .real, to: "prices", nullable: false, default: .real(0.1))
            up.addColumn("tiny", .real, to: "prices", nullable: false, default: .real(-2.2250738585072014e-308))
            up.addColumn("note", .text, to: "prices", nullable: false, default: "a\0b\r\nc")
        }
        let row = try db.query("SELECT rate, tiny, note FROM prices")
        #expect(row == [[.real(0.1), .real(-2.2250738585072014e-308), .text("a\0b\r\nc")]])
    }

    /// Lint output shows names as SQL quotes them, so a name cannot pass for two.
    @Test func lintQuotesNames() {
        let migration = Migration("l1", "drop") { up in up.dropColumn("a\"\u{301}b", from: "t. x") } downgrade: { _ in }
        let findings = MigrationLinter(dialect: .postgres).lint(migration)
        #expect(findings.contains { $0.message.contains("\"t. x\".\"a\"\"\u{301}b\"") }, "\(findings)")
    }
}

enum HostileOperations<Backend: PropertyBackend> {
    static var isPostgres: Bool { Backend.name == "PostgreSQL" }

    static var table: String { "t\"\u{301} UNION SELECT 1 --" }
    static var column: String { "c\u{600}\"; DROP TABLE sentinel; --" }
    static var renamed: String { "r'\u{301}\r\n/* */ $$" }
    static var index: String { "i\"\u{301}) ON sentinel (id" }
    static var defaultText: String { "\u{600}'); DELETE FROM sentinel; --\r\n'" }

    static func operations(_ dialect: some SQLDialect) -> [SchemaOperation] {
        var up = MigrationBuilder()
        up.createTable(table) {
            TableColumn("id", .integer, primaryKey: true)
            TableColumn(column, .text, nullable: false, default: .text(defaultText))
        }
        up.execute("INSERT INTO \(dialect.quote(table)) (\"id\") VALUES (\(dialect.placeholder(1)))", arguments: [1])
        up.createIndex(index, on: table, columns: [column])
        up.renameColumn(column, to: isPostgres ? renamed : "renamed \"\u{301}", in: table)
        up.addColumn("added'\u{301}", .real, to: table, nullable: false, default: .real(0.1))
        return up.operations
    }

    static func run() throws {
        let dialect = Backend.Database.migrationDialect
        let migration = Migration(revision: Revision(id: "h1", message: "hostile"), upgrade: operations(dialect), downgrade: [])
        let renamedColumn = isPostgres ? renamed : "renamed \"\u{301}"
        let expectedColumns = [["id"], [renamedColumn], ["added'\u{301}"]].map { Array($0[0].utf8) }
        let expectedRow: [DatabaseValue] = [.text(defaultText), .real(0.1)]
        let query = "SELECT \(dialect.quote(renamedColumn)), \(dialect.quote("added'\u{301}")) FROM \(dialect.quote(table))"

        let online = try Backend.makeDatabase()
        _ = try Migrator(database: online.database, migrations: [migration],
                         configuration: MigratorConfiguration(logger: LogCapture.silentLogger)).upgrade()
        let offline = try Backend.makeDatabase()
        let script = try OfflineMigrationScript<Backend.Database>(graph: RevisionGraph([migration])).upgrade("head")
        let run = try offline.runScript(script)
        #expect(run.status == 0, "\(run.error)\n\(script)")
        for db in [online, offline] {
            #expect(db.sentinelProblem() == nil)
            #expect(try db.catalog()[Array(table.utf8)] == expectedColumns)
            #expect(try db.catalog().count == 4)  // sentinel, driftless_version and its checksums, the table
            let rows = try db.rows(query)
            let matches = rows.count == 1 && zip(rows[0], expectedRow).allSatisfy { Self.same($0, $1) }
            #expect(matches, "\(rows)")
        }

        // Names the database cannot hold, and (PostgreSQL) text it cannot hold: errors online
        // and offline, before anything is sent.
        var rejected: [SchemaOperation] = [
            .createTable(TableDefinition(TableName("a\0b"), columns: [TableColumn("id", .integer, primaryKey: true)])),
            .addColumn(TableName(table), TableColumn("x\0", .text), ifNotExists: false),
            .renameTable(TableName(table), to: ""),
        ]
        if isPostgres {
            rejected += [
                .addColumn(TableName(table), TableColumn(String(repeating: "é", count: 32), .text), ifNotExists: false),
                .addColumn(TableName(table), TableColumn("ok", .text, nullable: false, default: "a\0b"), ifNotExists: false),
            ]
        } else {
            // The sqlite3 shell reads CR LF as LF: a name holding it cannot be scripted.
            let crlf = Migration(revision: Revision(id: "h2", message: "crlf"),
                                 upgrade: [.renameTable(TableName(table), to: "x\r\ny")], downgrade: [])
            let crlfScript = OfflineMigrationScript<Backend.Database>(graph: try RevisionGraph([migration, crlf].map { Self.child($0) }))
            #expect(throws: MigrationError.self) { try crlfScript.upgrade("head") }
        }
        for operation in rejected {
            let before = try online.catalog()
            let database = online.database
            let error = #expect(throws: MigrationError.self) {
                try database.write { connection in
                    try database.inTransaction(on: connection) { try operation.apply(on: LiveMigrationConnection(connection)) }
                }
            }
            #expect("\(error.map { "\($0)" } ?? "")".contains("cannot"), "\(String(describing: error))")
            #expect(try online.catalog() == before)
            let alone = Migration(revision: Revision(id: "x1", message: "rejected"), upgrade: [operation], downgrade: [])
            let aloneScript = OfflineMigrationScript<Backend.Database>(graph: try RevisionGraph([alone]))
            #expect(throws: MigrationError.self) { try aloneScript.upgrade("head") }
        }
        if isPostgres {
            let value = Migration(revision: Revision(id: "v1", message: "value"),
                                  upgrade: [.execute(sql: "INSERT INTO \(dialect.quote(table)) (\"id\", \(dialect.quote(renamed))) VALUES ($1, $2)", arguments: [2, "a\0b"])],
                                  downgrade: [])
            let valueScript = OfflineMigrationScript<Backend.Database>(graph: try RevisionGraph([value]))
            #expect(throws: MigrationError.self) { try valueScript.upgrade("head") }
        }
    }

    /// The second migration of a pair, as the first's child.
    private static func child(_ migration: Migration) -> Migration {
        guard migration.revision.id != "h1" else { return migration }
        var child = migration
        child.revision = Revision(id: migration.revision.id, message: migration.revision.message, parents: ["h1"])
        return child
    }

    private static func same(_ value: DatabaseValue, _ expected: DatabaseValue) -> Bool {
        if case .text(let a) = value, case .text(let b) = expected { return HostileText.same(a, b) }
        return value == expected
    }
}
