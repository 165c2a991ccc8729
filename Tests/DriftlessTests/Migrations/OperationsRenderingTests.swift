import Driftless
import DriftlessMigrations
import DriftlessPostgres
import DriftlessPostgresMigrations
import DriftlessSQLite
import DriftlessSQLiteMigrations
import Testing

/// `SchemaOperation.sql(for:)`: the SQL text autogenerate and offline SQL write, without a
/// database.
@Suite("Migration operation rendering")
struct OperationsRenderingTests {
    @Test func createTableQuotesEveryNameAndUsesTypedDefaults() throws {
        var up = MigrationBuilder()
        up.createTable("order", schema: "app\"x") {
            TableColumn("id", .integer, primaryKey: true)
            TableColumn("na\"me", .text, nullable: false, default: "it's")
            TableColumn("active", .boolean, nullable: false, default: true)
        }
        let operation = try #require(up.operations.first)
        #expect(try operation.sql(for: .postgres) == [
            #"CREATE TABLE "app""x"."order" ("id" bigint NOT NULL, "na""me" text NOT NULL DEFAULT CAST('it''s' AS text), "active" boolean NOT NULL DEFAULT TRUE, PRIMARY KEY ("id"))"#,
        ])
        #expect(try operation.sql(for: .sqlite) == [
            #"CREATE TABLE "app""x"."order" ("id" INTEGER NOT NULL, "na""me" TEXT NOT NULL DEFAULT 'it''s', "active" BOOLEAN NOT NULL DEFAULT 1, PRIMARY KEY ("id"))"#,
        ])
    }

    @Test func postgresAlterColumnIsOneStatement() throws {
        var up = MigrationBuilder()
        up.alterColumn("qty", in: "items", type: .integer, nullable: false, default: .set(0))
        up.alterColumn("note", in: "items", nullable: true, default: .drop)
        #expect(try up.operations[0].sql(for: .postgres) == [
            #"ALTER TABLE "items" ALTER COLUMN "qty" TYPE bigint USING "qty"::bigint, ALTER COLUMN "qty" SET NOT NULL, ALTER COLUMN "qty" SET DEFAULT CAST(0 AS bigint)"#,
        ])
        #expect(try up.operations[1].sql(for: .postgres) == [
            #"ALTER TABLE "items" ALTER COLUMN "note" DROP NOT NULL, ALTER COLUMN "note" DROP DEFAULT"#,
        ])
    }

    @Test func indexesRenderConcurrentlyOnlyOnPostgres() throws {
        var up = MigrationBuilder()
        up.createIndex("by email", on: "users", schema: "s", columns: ["email", "na\"me"], unique: true,
                       concurrently: true, ifNotExists: true)
        up.dropIndex("by email", on: "users", schema: "s", concurrently: true, ifExists: true)
        #expect(try up.operations[0].sql(for: .postgres) == [
            #"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "by email" ON "s"."users" ("email", "na""me")"#,
        ])
        #expect(try up.operations[0].sql(for: .sqlite) == [
            #"CREATE UNIQUE INDEX IF NOT EXISTS "s"."by email" ON "users" ("email", "na""me")"#,
        ])
        #expect(try up.operations[1].sql(for: .postgres) == [#"DROP INDEX CONCURRENTLY IF EXISTS "s"."by email""#])
        #expect(try up.operations[1].sql(for: .sqlite) == [#"DROP INDEX IF EXISTS "s"."by email""#])
    }

    @Test func addColumnIfNotExistsAndUnique() throws {
        let add = SchemaOperation.addColumn(TableName("users"), TableColumn("code", .text, unique: true), ifNotExists: true)
        #expect(try add.sql(for: .postgres) == [#"ALTER TABLE "users" ADD COLUMN IF NOT EXISTS "code" text UNIQUE"#])
        #expect(throws: MigrationError.self) { try add.sql(for: .sqlite) }
        let plain = SchemaOperation.addColumn(TableName("users"), TableColumn("code", .text, unique: true), ifNotExists: false)
        #expect(try plain.sql(for: .sqlite) == [
            #"ALTER TABLE "users" ADD COLUMN "code" TEXT"#,
            #"CREATE UNIQUE INDEX "users_code_key" ON "users" ("code")"#,
        ])
    }

    @Test func whatNeedsTheLiveTableIsNotRenderedOffline() throws {
        let alter = SchemaOperation.alterColumn(TableName("users"), column: "plan", ColumnAlteration(nullable: false))
        #expect {
            try alter.sql(for: .sqlite)
        } throws: { error in
            guard let error = error as? MigrationError, error.code == .offlineUnsupported else { return false }
            return error.detail?.contains("users.plan") == true
        }
        let custom = SchemaOperation.custom(name: "backfill") { _ in }
        #expect(throws: MigrationError.self) { try custom.sql(for: .postgres) }
        let required = SchemaOperation.addColumn(TableName("users"), TableColumn("plan", .text, nullable: false), ifNotExists: false)
        #expect(throws: MigrationError.self) { try required.sql(for: .sqlite) }
        #expect(try required.sql(for: .postgres) == [#"ALTER TABLE "users" ADD COLUMN "plan" text NOT NULL"#])
    }

    @Test func executeInlinesArgumentsOnlyAtPlaceholders() throws {
        let sqlite = SchemaOperation.execute(
            sql: "UPDATE t SET a = ?, b = '?' /* ? */ WHERE c = ?2 -- ?\n AND d = ?", arguments: ["x'y", 2, .null])
        #expect(try sqlite.sql(for: .sqlite) == ["UPDATE t SET a = 'x''y', b = '?' /* ? */ WHERE c = 2 -- ?\n AND d = NULL"])
        let postgres = SchemaOperation.execute(
            sql: "UPDATE t SET a = $1, b = $2, c = $$ $1 $$ WHERE d = $3", arguments: [.blob([0, 255]), 1.5, .null])
        #expect(try postgres.sql(for: .postgres) == [#"UPDATE t SET a = '\x00ff', b = '1.5', c = $$ $1 $$ WHERE d = NULL"#])
        #expect(throws: MigrationError.self) {
            try SchemaOperation.execute(sql: "SELECT ?, ?", arguments: [1]).sql(for: .sqlite)
        }
    }

    @Test func offlineExecuteMatchesBoundExecute() throws {
        let bound = try SQLiteOperationDatabase()
        let inlined = try SQLiteOperationDatabase()
        let values: [DatabaseValue] = [1, "it's -- not a comment", .real(2.5), .blob([1, 2, 3]), .null]
        let insert = SchemaOperation.execute(sql: "INSERT INTO t VALUES (?, ?, ?, ?, ?)", arguments: values)
        for db in [bound, inlined] { try db.execute("CREATE TABLE t (a, b, c, d, e)") }
        try bound.migrate([insert])
        try inlined.migrate(try insert.sql(for: .sqlite).map { .script($0) })
        #expect(try inlined.query("SELECT * FROM t") == [values])
        #expect(try bound.query("SELECT * FROM t") == [values])
    }

    @Test func operationsDescribeThemselves() {
        var up = MigrationBuilder()
        up.addColumn("plan", .text, to: "users")
        up.execute("UPDATE users\n   SET plan = 'free'")
        #expect(up.operations.map(\.description) == ["add column \"users\".\"plan\"", "execute UPDATE users SET plan = 'free'"])
    }
}
