import Driftless
import DriftlessMigrations
import DriftlessPostgres
import DriftlessPostgresMigrations
import DriftlessSQLite
import DriftlessSQLiteMigrations
import Testing

/// The migration lint on Swift migrations: each rule caught, a safe migration passing,
/// acknowledgements.
@Suite("Migration lint")
struct LintTests {
    let postgres = MigrationLinter(records: [User.self, Member.self], dialect: .postgres)
    let sqlite = MigrationLinter(records: [User.self, Member.self], dialect: .sqlite)

    func migration(
        transactional: Bool = true, acknowledging: Set<LintRule> = [], _ upgrade: (inout MigrationBuilder) -> Void
    ) -> Migration {
        Migration("ae1027a6acf4", "test", transactional: transactional, acknowledging: acknowledging,
                  upgrade: upgrade, downgrade: { _ in })
    }

    func rules(_ findings: [LintFinding]) -> [LintRule] { findings.map(\.rule) }

    @Test func aSafeExpandMigrationPasses() {
        let safe = migration { up in
            up.lockTimeout(.seconds(2))
            up.statementTimeout(.seconds(30))
            up.addColumn("nickname", .text, to: "users")
            up.addColumn("tier", .text, to: "users", nullable: false, default: "free")
            up.createTable("invoices") {
                TableColumn("id", .integer, primaryKey: true)
                TableColumn("user_id", .integer, nullable: false)
            }
            up.createIndex("invoices_user", on: "invoices", columns: ["user_id"])  // new table: no one to block
            up.execute("UPDATE users SET tier = $1 WHERE plan = $2", arguments: ["gold", "pro"])
            up.dropColumn("legacy_flag", from: "users")  // no record declares it: the contract step
        }
        #expect(postgres.lint(safe).isEmpty)
        #expect(sqlite.lint(safe).isEmpty)
        let concurrent = migration(transactional: false) { up in
            up.lockTimeout(.seconds(2))
            up.createIndex("users_email", on: "users", columns: ["email"], concurrently: true)
        }
        #expect(postgres.lint(concurrent).isEmpty)
    }

    @Test func droppingOrRenamingWhatARecordDeclares() throws {
        let findings = postgres.lint(migration { up in
            up.lockTimeout(.seconds(2))
            up.dropColumn("plan", from: "users")
            up.renameColumn("email", to: "mail", in: "members")
            up.dropTable("members")
            up.renameTable("users", to: "accounts")
        })
        #expect(rules(findings) == [.dropColumn, .renameColumn, .dropTable, .renameTable])
        let drop = try #require(findings.first)
        #expect(drop.revision == "ae1027a6acf4")
        #expect(drop.message.contains(#""users"."plan""#) && drop.message.contains("User"))
        #expect(drop.safeAlternative.contains("later migration"))
        #expect(!drop.isAcknowledged)
        #expect(findings[2].message.contains("Member"))
    }

    @Test func withoutRecordsEveryDropIsFlagged() {
        let findings = MigrationLinter(dialect: .sqlite).lint(migration { up in
            up.dropColumn("legacy_flag", from: "users")
            up.dropTable("old_things")
        })
        #expect(rules(findings) == [.dropColumn, .dropTable])
        #expect(findings.allSatisfy { $0.message.contains("cannot tell") })
    }

    @Test func typeChangeAndRequiredColumn() {
        let findings = sqlite.lint(migration { up in
            up.alterColumn("age", in: "members", type: .text)
            up.alterColumn("age", in: "members", nullable: true)  // not a type change
            up.addColumn("tier", .text, to: "users", nullable: false)
            up.addColumn(TableColumn("uid", .integer, primaryKey: true), to: "users")
        })
        // Each builder change to an existing SQLite table is also a rebuild.
        #expect(rules(findings) == [.changeColumnType, .sqliteTableRebuild, .addNotNullColumnWithoutDefault, .sqliteTableRebuild,
                                    .addNotNullColumnWithoutDefault, .sqliteTableRebuild])
        #expect(findings[2].safeAlternative.contains("backfill"))
    }

    @Test func postgresIndexAndLockTimeoutRules() {
        let findings = postgres.lint(migration { up in
            up.createIndex("users_email", on: "users", columns: ["email"])
            up.lockTimeout(.seconds(1))
            up.createIndex("users_name", on: "users", columns: ["name"], concurrently: true)
        })
        #expect(rules(findings) == [.nonConcurrentIndex, .missingLockTimeout, .missingStatementTimeout, .concurrentIndexInTransaction])
        #expect(findings[0].safeAlternative.contains("concurrently: true"))
        #expect(findings[1].message.contains("users_email"))
        // SQLite has neither rule: one writer, no lock queue.
        #expect(sqlite.lint(migration { up in up.createIndex("users_email", on: "users", columns: ["email"]) }).isEmpty)
    }

    @Test func lockTimeoutMustComeFirstAndMustLimitSomething() {
        let late = postgres.lint(migration { up in
            up.addColumn("nickname", .text, to: "users")
            up.execute("SET lock_timeout = '2s'")
        })
        #expect(rules(late) == [.missingLockTimeout])
        let zero = postgres.lint(migration { up in
            up.execute("SET lock_timeout = 0")
            up.addColumn("nickname", .text, to: "users")
        })
        #expect(rules(zero) == [.missingLockTimeout])
        let viaSQL = postgres.lint(migration { up in
            up.script("SET LOCAL lock_timeout TO '5s'; ALTER TABLE users ADD COLUMN nickname text;")
        })
        #expect(viaSQL.isEmpty)
        let viaSetConfig = postgres.lint(migration { up in
            up.execute("SELECT set_config('lock_timeout', '3s', false)")
            up.addColumn("nickname", .text, to: "users")
        })
        #expect(viaSetConfig.isEmpty)
        // Creating a table and filling it locks nothing anyone waits on.
        let onlyNew = postgres.lint(migration { up in
            up.createTable("t") { TableColumn("id", .integer, primaryKey: true) }
            up.addColumn("x", .text, to: "t", nullable: false)
            up.execute("INSERT INTO t (id, x) VALUES ($1, $2)", arguments: [1, "a"])
        })
        #expect(onlyNew.isEmpty)
    }

    @Test func acknowledgedFindingsAreReportedButDoNotFail() {
        let findings = postgres.lint(migration(acknowledging: [.dropColumn, .missingLockTimeout]) { up in
            up.statementTimeout(.seconds(30))
            up.dropColumn("plan", from: "users")
            up.alterColumn("age", in: "members", type: .text)
        })
        #expect(rules(findings) == [.dropColumn, .missingLockTimeout, .changeColumnType])
        #expect(findings.map(\.isAcknowledged) == [true, true, false])
        #expect(findings.failing.map(\.rule) == [.changeColumnType])
        #expect(findings[0].description.contains("(acknowledged)"))
    }

    @Test func namesResolveAsTheDatabaseDoes() {
        // SQLite compares names case-insensitively; PostgreSQL's quoted names are exact.
        #expect(rules(sqlite.lint(migration { $0.dropColumn("PLAN", from: "Users") })) == [.dropColumn])
        let exact = postgres.lint(migration { up in
            up.lockTimeout(.seconds(1))
            up.dropColumn("PLAN", from: "users")
        })
        #expect(exact.isEmpty)
    }

    @Test func renamingATableCreatedInTheSameMigrationIsFine() {
        let findings = postgres.lint(migration { up in
            up.createTable("tmp") { TableColumn("id", .integer, primaryKey: true) }
            up.renameTable("tmp", to: "things")
            up.createIndex("things_id", on: "things", columns: ["id"])
        })
        #expect(findings.isEmpty)
    }

    /// Issue 8: Swift code is opaque to the lint, so it is reported (the builder's
    /// `lockTimeout` is the one custom operation the lint reads).
    @Test func customCodeIsUnverifiable() {
        let findings = sqlite.lint(migration { up in
            up.lockTimeout(.seconds(1))
            up.custom("backfill") { connection in try connection.execute("ALTER TABLE users DROP COLUMN plan", arguments: []) }
        })
        #expect(rules(findings) == [.unverifiableStatement])
        #expect(findings.first?.message.contains("custom backfill") == true)
        #expect(postgres.lint(migration(acknowledging: [.unverifiableStatement]) { up in
            up.lockTimeout(.seconds(1))
            up.custom("backfill") { _ in }
        }).failing.isEmpty)
    }
}

/// The rename lint with records that declare previous names.
@Suite("Migration lint: renames and previous names")
struct RenameLintTests {
    struct NewNameOnly: Record, Codable {
        var id: Int64
        var displayName: String
        static let schema = RecordSchema<NewNameOnly>(table: "profiles") {
            Column("id", \.id, primaryKey: true)
            Column("display_name", \.displayName, default: "")
        }
    }

    func lint(_ records: [any Record.Type], _ upgrade: @escaping (inout MigrationBuilder) -> Void) -> [LintRule] {
        MigrationLinter(records: records, dialect: .sqlite)
            .lint(Migration("ae1027a6acf4", "rename", upgrade: upgrade, downgrade: { _ in })).map(\.rule)
    }

    @Test func renamesTheRecordsDeclareAsPreviousNamesAreSafe() {
        #expect(lint([Profile.self]) { up in
            up.renameColumn("name", to: "display_name", in: "profiles")
            up.renameColumn("double_tap", to: "gesture_nav", in: "profiles")
        } == [])
        #expect(lint([Item.self]) { up in up.renameTable("legacy_items", to: "items") } == [])
    }

    @Test func renamesTheRecordsDoNotDeclareAreFlagged() {
        // Still declared under the old name.
        #expect(lint([OldProfile.self]) { up in up.renameColumn("name", to: "display_name", in: "profiles") } == [.renameColumn])
        // Declared under the new name, without the old one as a previous name.
        #expect(lint([NewNameOnly.self]) { up in up.renameColumn("name", to: "display_name", in: "profiles") } == [.renameColumn])
        // A previous name of another column does not cover this rename.
        #expect(lint([Profile.self]) { up in up.renameColumn("nickname", to: "display_name", in: "profiles") } == [.renameColumn])
        #expect(lint([Item.self]) { up in up.renameTable("old_items", to: "items") } == [.renameTable])
    }
}
