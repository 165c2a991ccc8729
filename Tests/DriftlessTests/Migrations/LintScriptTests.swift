import Driftless
import DriftlessMigrations
import DriftlessPostgres
import DriftlessPostgresMigrations
import DriftlessSQLite
import DriftlessSQLiteMigrations
import Testing

/// The lint on SQL text (SQL-file migrations, `.execute` and `.script`): the same rules,
/// read through a tokenizer that comments, literals and quoted names cannot fool.
@Suite("Migration lint on SQL")
struct LintScriptTests {
    let postgres = MigrationLinter(records: [User.self, Member.self, Note.self], dialect: .postgres)
    let sqlite = MigrationLinter(records: [User.self, Member.self, Note.self], dialect: .sqlite)

    func lint(_ linter: MigrationLinter, _ sql: String, transactional: Bool = true) -> [LintRule] {
        let migration = Migration(revision: Revision(id: "1975ea83b712", message: "sql"),
                                  upgrade: [.script(sql)], downgrade: [], transactional: transactional, source: "1975ea83b712.sql")
        return linter.lint(migration).map(\.rule)
    }

    @Test func eachRuleInSQL() {
        #expect(lint(sqlite, "ALTER TABLE users DROP COLUMN plan;") == [.dropColumn])
        #expect(lint(sqlite, "alter table USERS drop plan") == [.dropColumn])
        #expect(lint(sqlite, "ALTER TABLE \"members\" RENAME COLUMN \"email\" TO mail") == [.renameColumn])
        #expect(lint(sqlite, "ALTER TABLE users RENAME TO accounts") == [.renameTable])
        #expect(lint(sqlite, "DROP TABLE IF EXISTS audit, members") == [.dropTable])
        #expect(lint(sqlite, "ALTER TABLE users ADD COLUMN tier TEXT NOT NULL") == [.addNotNullColumnWithoutDefault])
        #expect(lint(sqlite, "ALTER TABLE users ADD tier TEXT PRIMARY KEY") == [.addNotNullColumnWithoutDefault])
        let pg = "SET lock_timeout = '2s'; SET statement_timeout = '30s';\n"
        #expect(lint(postgres, pg + "ALTER TABLE members ALTER COLUMN age TYPE text USING age::text") == [.changeColumnType])
        #expect(lint(postgres, pg + "ALTER TABLE members ALTER age SET DATA TYPE text") == [.changeColumnType])
        #expect(lint(postgres, pg + "CREATE UNIQUE INDEX users_email ON public.users (email)") == [.nonConcurrentIndex])
        #expect(lint(postgres, pg + "CREATE INDEX CONCURRENTLY users_email ON users (email)") == [.concurrentIndexInTransaction])
        #expect(lint(postgres, pg + "CREATE INDEX CONCURRENTLY users_email ON users (email)", transactional: false).isEmpty)
        #expect(lint(postgres, "TRUNCATE members") == [.missingLockTimeout])
        #expect(lint(postgres, "ALTER TABLE users ADD CONSTRAINT c CHECK (id > 0)")
                == [.addCheckConstraint, .missingLockTimeout, .missingStatementTimeout])
    }

    @Test func safeSQLPasses() {
        let script = """
            -- Expand: a column, a backfill, an index built without blocking writes.
            SET lock_timeout = '2s';
            SET statement_timeout = '30s';
            ALTER TABLE users ADD COLUMN tier text NOT NULL DEFAULT 'free';
            ALTER TABLE users ADD COLUMN nickname text CHECK (nickname IS NOT NULL OR true);
            ALTER TABLE users ADD COLUMN lower_name text GENERATED ALWAYS AS (lower(name)) STORED NOT NULL;
            UPDATE users SET tier = 'gold' WHERE plan = 'pro';
            CREATE TABLE invoices (id bigint PRIMARY KEY, user_id bigint NOT NULL);
            CREATE INDEX invoices_user ON invoices (user_id);
            ALTER TABLE invoices ADD COLUMN total bigint NOT NULL;
            ALTER TABLE users DROP COLUMN legacy_flag;
            """
        #expect(lint(postgres, script).isEmpty)
    }

    @Test func commentsLiteralsAndQuotedNamesAreNotStatements() {
        let script = """
            SET lock_timeout = '1s';
            /* ALTER TABLE users DROP COLUMN plan; /* nested */ DROP TABLE members; */
            -- ALTER TABLE users DROP COLUMN plan;
            INSERT INTO notes (body) VALUES ('ALTER TABLE users DROP COLUMN plan; DROP TABLE members');
            INSERT INTO notes (body) VALUES (E'it\\'s; DROP TABLE members');
            CREATE FUNCTION f() RETURNS void AS $body$ BEGIN DROP TABLE members; END $body$ LANGUAGE plpgsql;
            ALTER TABLE users DROP COLUMN "Plan";
            """
        #expect(lint(postgres, script).isEmpty)
        #expect(lint(sqlite, "CREATE TRIGGER t AFTER INSERT ON notes BEGIN UPDATE notes SET body = 'x'; DELETE FROM notes WHERE 0; END;").isEmpty)
    }

    @Test func postgresFoldsUnquotedNames() {
        // Unquoted PLAN is plan on PostgreSQL; quoted "Plan" is not.
        #expect(lint(postgres, "SET lock_timeout = '1s'; ALTER TABLE USERS DROP COLUMN PLAN") == [.dropColumn])
        #expect(lint(postgres, "SET lock_timeout = '1s'; ALTER TABLE users DROP COLUMN \"Plan\"").isEmpty)
        // SQLite compares every name case-insensitively.
        #expect(lint(sqlite, "ALTER TABLE users DROP COLUMN \"Plan\"") == [.dropColumn])
    }

    @Test func multipleActionsInOneAlterTable() {
        let rules = lint(postgres, """
            SET lock_timeout = '1s';
            ALTER TABLE members DROP COLUMN email, ALTER COLUMN age TYPE numeric(10, 2), ADD COLUMN x int NOT NULL, RENAME COLUMN name TO full_name
            """)
        #expect(rules == [.dropColumn, .changeColumnType, .missingStatementTimeout, .addNotNullColumnWithoutDefault, .renameColumn])
        // The `,` inside numeric(10, 2) does not split actions.
        #expect(lint(postgres, "SET lock_timeout = '1s'; ALTER TABLE members ALTER COLUMN score TYPE numeric(10, 2)") == [.changeColumnType, .missingStatementTimeout])
    }

    /// Issue 8: CASCADE drops or empties whatever depends on the object, which the lint
    /// cannot list: a finding of its own, whatever is dropped. A foreign key's
    /// `ON DELETE CASCADE` drops nothing.
    @Test func cascadeIsAFinding() {
        let pg = "SET lock_timeout = '1s'; SET statement_timeout = '30s';\n"
        for sql in ["DROP SCHEMA billing CASCADE", "DROP TYPE mood CASCADE", "drop view if exists v, w cascade",
                    "DROP TABLE audit CASCADE", "DROP FUNCTION f() CASCADE", "DROP DOMAIN positive CASCADE",
                    "ALTER TABLE audit DROP COLUMN at CASCADE", "ALTER TABLE audit DROP CONSTRAINT audit_fk CASCADE",
                    "ALTER TYPE address DROP ATTRIBUTE zip CASCADE", "TRUNCATE audit CASCADE"] {
            let rules = lint(postgres, pg + sql)
            #expect(rules.contains(sql.hasPrefix("TRUNCATE") ? .truncateCascade : .dropCascade), "\(sql)")
        }
        #expect(lint(postgres, pg + "DROP TABLE members CASCADE") == [.dropTable, .dropCascade])
        // Refused while anything depends on it, but what it holds goes: their own rules.
        #expect(lint(postgres, pg + "DROP SCHEMA billing") == [.dropSchema])
        #expect(lint(postgres, pg + "DROP TYPE mood RESTRICT") == [.dropType])
        #expect(lint(postgres, pg + """
            ALTER TABLE notes ADD CONSTRAINT notes_user FOREIGN KEY (id) REFERENCES users (id) ON DELETE CASCADE ON UPDATE CASCADE
            """) == [.addForeignKey])  // a foreign key's CASCADE is no drop (the key itself wants NOT VALID)
        #expect(lint(postgres, pg + "CREATE TABLE t (id bigint REFERENCES users (id) ON DELETE CASCADE)").isEmpty)
        #expect(lint(postgres, pg + "SELECT 'DROP SCHEMA s CASCADE'").isEmpty)
    }

    /// Issue 8: a statement whose effect the lint cannot read is reported as such (it cannot
    /// vouch for it), never passed.
    @Test func whatTheLintCannotReadIsAFinding() {
        let pg = "SET lock_timeout = '1s'; SET statement_timeout = '30s';\n"
        for sql in ["DO $$ BEGIN EXECUTE 'ALTER TABLE users DROP COLUMN plan'; END $$",
                    "do language plpgsql $body$ BEGIN EXECUTE format('DROP TABLE %I', 'users'); END $body$",
                    "EXECUTE drop_users", "CALL migrate_things()", "FROBNICATE users",
                    "CREATE RULE hide AS ON SELECT TO users DO INSTEAD NOTHING", "DROP OWNED BY app"] {
            #expect(lint(postgres, pg + sql) == [.unverifiableStatement], "\(sql)")
        }
        // Without a lock timeout it also counts as locking: the lint cannot tell it does not.
        #expect(lint(postgres, "DO $$ BEGIN PERFORM 1; END $$") == [.unverifiableStatement, .missingLockTimeout])
        #expect(lint(sqlite, "PRAGMA writable_schema = ON") == [.unverifiableStatement])
        #expect(lint(sqlite, "PRAGMA foreign_keys = ON").isEmpty)
        // Acknowledged after review, it passes.
        let reviewed = Migration(revision: Revision(id: "1975ea83b712", message: "reviewed"),
                                 upgrade: [.script(pg + "CALL migrate_things()")], downgrade: [],
                                 acknowledging: [.unverifiableStatement])
        #expect(postgres.lint(reviewed).map(\.isAcknowledged) == [true])
    }

    /// PostgreSQL ends a `--` comment at a carriage return, SQLite only at a line feed: the
    /// lint reads each the way its database does, so a statement after `\r` is not hidden
    /// from it on PostgreSQL, and not invented on SQLite.
    @Test func commentsEndWhereTheDatabaseEndsThem() {
        let hidden = "SET lock_timeout = '1s'; -- a comment\rALTER TABLE users DROP COLUMN plan"
        #expect(lint(postgres, hidden) == [.dropColumn])
        #expect(lint(sqlite, hidden).isEmpty)
        #expect(lint(sqlite, "SELECT 1; -- a comment\nALTER TABLE users DROP COLUMN plan") == [.dropColumn])
    }
}
