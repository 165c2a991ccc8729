import DriftlessMigrations
import DriftlessPostgres
import DriftlessPostgresMigrations
import DriftlessSQLite
import DriftlessSQLiteMigrations
import Testing

/// Every rule of the catalogue: a migration that breaks it is flagged with it, and its safe
/// alternative is not.
@Suite("Lint catalogue")
struct LintCatalogueTests {
    struct Example: Sendable, CustomTestStringConvertible {
        var rule: LintRule
        var postgres = true
        var unsafe: Migration
        var safe: Migration
        var testDescription: String { rule.rawValue }
    }

    /// An existing table `users` (no migration here creates it), SQL as a file would hold it.
    static func sql(_ text: String, transactional: Bool = true) -> Migration {
        sqlMigration("r1", up: "SET lock_timeout = '2s'; SET statement_timeout = '30s';\n" + text, transactional: transactional)
    }

    static func builder(_ body: @escaping (inout MigrationBuilder) -> Void) -> Migration {
        Migration("r1", "builder", upgrade: body, downgrade: { _ in })
    }

    static let examples: [Example] = [
        Example(rule: .dropColumn, unsafe: sql("ALTER TABLE users DROP COLUMN plan"), safe: sql("ALTER TABLE users ADD COLUMN plan text")),
        Example(rule: .renameColumn, unsafe: sql("ALTER TABLE users RENAME COLUMN a TO b"), safe: sql("ALTER TABLE users ADD COLUMN b text")),
        Example(rule: .dropTable, unsafe: sql("DROP TABLE users"), safe: sql("CREATE TABLE t (id bigint PRIMARY KEY); DROP TABLE t")),
        Example(rule: .renameTable, unsafe: sql("ALTER TABLE users RENAME TO people"), safe: sql("CREATE TABLE people (id bigint)")),
        Example(rule: .changeColumnType, unsafe: sql("ALTER TABLE users ALTER COLUMN a TYPE bigint"),
                safe: sql("ALTER TABLE users ADD COLUMN a2 bigint")),
        Example(rule: .addNotNullColumnWithoutDefault, unsafe: sql("ALTER TABLE users ADD COLUMN p text NOT NULL"),
                safe: sql("ALTER TABLE users ADD COLUMN p text NOT NULL DEFAULT 'x'")),
        Example(rule: .dropCascade, unsafe: sql("DROP VIEW v CASCADE"), safe: sql("DROP VIEW v")),
        Example(rule: .truncateCascade, unsafe: sql("TRUNCATE users CASCADE"), safe: sql("TRUNCATE users, orders")),
        Example(rule: .dropSchema, unsafe: sql("DROP SCHEMA old"), safe: sql("CREATE SCHEMA new")),
        Example(rule: .dropType, unsafe: sql("DROP TYPE mood"), safe: sql("CREATE TYPE mood AS ENUM ('a')")),
        Example(rule: .dropDatabase, unsafe: sql("DROP DATABASE old", transactional: false), safe: sql("SELECT 1")),
        Example(rule: .transactionControl, unsafe: sql("COMMIT; ALTER TABLE users ADD COLUMN x text"),
                safe: sql("COMMIT; ALTER TABLE users ADD COLUMN x text", transactional: false)),
        Example(rule: .unverifiableStatement, unsafe: sql("DO $$ BEGIN EXECUTE 'DROP TABLE users'; END $$"), safe: sql("SELECT 1")),
        Example(rule: .nonConcurrentIndex, unsafe: sql("CREATE INDEX i ON users (a)"),
                safe: sql("CREATE INDEX CONCURRENTLY i ON users (a)", transactional: false)),
        Example(rule: .nonConcurrentDropIndex, unsafe: sql("DROP INDEX i"), safe: sql("DROP INDEX CONCURRENTLY i", transactional: false)),
        Example(rule: .nonConcurrentReindex, unsafe: sql("REINDEX INDEX i"), safe: sql("REINDEX INDEX CONCURRENTLY i", transactional: false)),
        Example(rule: .concurrentIndexInTransaction, unsafe: sql("CREATE INDEX CONCURRENTLY i ON users (a)"),
                safe: sql("CREATE INDEX CONCURRENTLY i ON users (a)", transactional: false)),
        Example(rule: .addUniqueConstraint, unsafe: sql("ALTER TABLE users ADD CONSTRAINT u UNIQUE (email)"),
                safe: sql("ALTER TABLE users ADD CONSTRAINT u UNIQUE USING INDEX users_email")),
        Example(rule: .addForeignKey, unsafe: sql("ALTER TABLE orders ADD CONSTRAINT f FOREIGN KEY (user_id) REFERENCES users (id)"),
                safe: sql("ALTER TABLE orders ADD CONSTRAINT f FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID")),
        Example(rule: .addCheckConstraint, unsafe: sql("ALTER TABLE users ADD CONSTRAINT c CHECK (a > 0)"),
                safe: sql("ALTER TABLE users ADD CONSTRAINT c CHECK (a > 0) NOT VALID; ALTER TABLE users VALIDATE CONSTRAINT c")),
        Example(rule: .setNotNull, unsafe: sql("ALTER TABLE users ALTER COLUMN a SET NOT NULL"),
                safe: sql("ALTER TABLE users ADD CONSTRAINT a_nn CHECK (a IS NOT NULL) NOT VALID")),
        Example(rule: .volatileDefault, unsafe: sql("ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid()"),
                safe: sql("ALTER TABLE users ADD COLUMN seen timestamptz DEFAULT now()")),
        Example(rule: .unboundedBackfill, unsafe: sql("UPDATE users SET plan = 'free' WHERE plan IS NULL"),
                safe: sql("UPDATE users SET plan = 'free' WHERE id >= 1 AND id < 1000")),
        Example(rule: .missingLockTimeout, unsafe: sqlMigration("r1", up: "SET statement_timeout = '5s'; ALTER TABLE users ADD COLUMN x text"),
                safe: sql("ALTER TABLE users ADD COLUMN x text")),
        Example(rule: .missingStatementTimeout, unsafe: sqlMigration("r1", up: "SET lock_timeout = '2s'; ALTER TABLE users ALTER COLUMN a TYPE bigint"),
                safe: sql("ALTER TABLE users ALTER COLUMN a TYPE bigint")),
        Example(rule: .sqliteTableRebuild, postgres: false,
                unsafe: builder { $0.alterColumn("name", in: "users", type: .integer) },
                safe: builder { $0.addColumn("name2", .integer, to: "users") }),
        Example(rule: .preferJSONB, unsafe: sql("CREATE TABLE t (id bigint PRIMARY KEY, doc json)"),
                safe: sql("CREATE TABLE t (id bigint PRIMARY KEY, doc jsonb)")),
        Example(rule: .preferIdentity, unsafe: sql("CREATE TABLE t (id bigserial PRIMARY KEY)"),
                safe: sql("CREATE TABLE t (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY)")),
        Example(rule: .preferBigintPrimaryKey, unsafe: sql("CREATE TABLE t (id integer PRIMARY KEY)"),
                safe: sql("CREATE TABLE t (id bigint PRIMARY KEY)")),
        Example(rule: .preferTimestamptz, unsafe: sql("CREATE TABLE t (id bigint PRIMARY KEY, at timestamp)"),
                safe: sql("CREATE TABLE t (id bigint PRIMARY KEY, at timestamptz)")),
        Example(rule: .preferText, unsafe: sql("CREATE TABLE t (id bigint PRIMARY KEY, name varchar(80))"),
                safe: sql("CREATE TABLE t (id bigint PRIMARY KEY, name text)")),
        Example(rule: .identifierTooLong, unsafe: sql("CREATE TABLE \(String(repeating: "é", count: 32)) (id bigint PRIMARY KEY)"),
                safe: sql("CREATE TABLE \(String(repeating: "é", count: 31)) (id bigint PRIMARY KEY)")),
    ]

    @Test func everyRuleHasAnExampleAndAdvice() {
        #expect(LintRule.allCases.count >= 25)
        #expect(Set(Self.examples.map(\.rule)) == Set(LintRule.allCases))
        for rule in LintRule.allCases {
            #expect(!rule.summary.isEmpty && rule.summary != rule.rawValue && !rule.hazard.isEmpty && !rule.safeAlternative.isEmpty, "\(rule)")
            #expect(PostgresDialect().lintRules.contains(rule) || SQLiteDialect().lintRules.contains(rule), "\(rule) is checked nowhere")
        }
    }

    @Test(arguments: examples)
    func theRuleFlagsTheUnsafeFormOnly(_ example: Example) {
        let dialect: any MigrationDialect = example.postgres ? PostgresDialect() : SQLiteDialect()
        let linter = MigrationLinter(dialect: dialect)
        let unsafe = linter.lint(example.unsafe).map(\.rule)
        #expect(unsafe.contains(example.rule), "\(unsafe)")
        let safe = linter.lint(example.safe).map(\.rule)
        #expect(!safe.contains(example.rule), "\(safe)")
        #expect(dialect.lintRules.contains(example.rule))
    }
}
