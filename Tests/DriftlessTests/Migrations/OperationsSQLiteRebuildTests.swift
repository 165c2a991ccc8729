import Driftless
import DriftlessMigrations
import DriftlessSQLite
import DriftlessSQLiteMigrations
import Testing

/// The SQLite table rebuild (batch mode): what it must carry over from the old table and
/// what happens when it cannot finish.
@Suite("SQLite table rebuild")
struct OperationsSQLiteRebuildTests {
    /// A table with one of everything a rebuild can lose, plus a child table, a view, a
    /// trigger on the table and a trigger elsewhere that writes to it.
    static let schema = """
        CREATE TABLE teams (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
        CREATE TABLE "user""s" (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            team INTEGER REFERENCES teams (id) ON DELETE CASCADE,
            email TEXT NOT NULL COLLATE NOCASE UNIQUE,
            age INTEGER CHECK (age >= 0) DEFAULT 18,
            score TEXT DEFAULT (1 + 2),
            nick TEXT DEFAULT 'it''s',
            doubled INTEGER GENERATED ALWAYS AS (age * 2) VIRTUAL,
            CONSTRAINT sane CHECK (length(email) > 2),
            UNIQUE (team, nick)
        );
        CREATE INDEX users_age ON "user""s" (age);
        CREATE INDEX users_adults ON "user""s" (email) WHERE age >= 18;
        CREATE TABLE posts (id INTEGER PRIMARY KEY, author INTEGER REFERENCES "user""s" (id));
        CREATE TABLE audit (what TEXT);
        CREATE TRIGGER users_audit AFTER UPDATE ON "user""s" BEGIN INSERT INTO audit VALUES ('update ' || new.email); END;
        CREATE TRIGGER posts_touch AFTER INSERT ON posts BEGIN UPDATE "user""s" SET age = age WHERE id = new.author; END;
        CREATE VIEW adults AS SELECT email FROM "user""s" WHERE age >= 18;
        CREATE VIEW adult_count AS SELECT count(*) AS n FROM adults;
        INSERT INTO teams VALUES (1, 'red'), (2, 'blue');
        INSERT INTO "user""s" (id, team, email, age, nick) VALUES (1, 1, 'ada@x', 36, 'a'), (2, 2, 'grace@x', 17, 'g'), (9, 1, 'gone@x', 50, 'z');
        DELETE FROM "user""s" WHERE id = 9;
        INSERT INTO posts VALUES (1, 1), (2, 2);
        """

    static let table = "user\"s"

    static func makeDatabase() throws -> SQLiteOperationDatabase {
        let db = try SQLiteOperationDatabase()
        try db.database.blocking.execute(schema)
        return db
    }

    /// sqlite_master without the table's own CREATE statement (which the rebuild rewrites).
    static func otherObjects(_ db: SQLiteOperationDatabase) throws -> [[DatabaseValue]] {
        try db.query("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE NOT (type = 'table' AND name = ?) ORDER BY type, name", .text(table))
    }

    @Test func alterColumnPreservesEverything() throws {
        let db = try Self.makeDatabase()
        let objectsBefore = try Self.otherObjects(db)
        let foreignKeysBefore = try db.query("SELECT * FROM pragma_foreign_key_list(?)", .text(Self.table))
        let rowsBefore = try db.query("SELECT rowid, id, team, email, age, score, nick, doubled FROM \"user\"\"s\" ORDER BY id")
        let columnsBefore = try db.reflect(Self.table)

        try db.migrate { $0.alterColumn("nick", in: Self.table, nullable: false, default: .set("anon")) }
        // Built from reflection, not by editing the old text; CHECK, COLLATE, generated and
        // AUTOINCREMENT read from the stored statement.
        #expect(try db.query("SELECT sql FROM sqlite_master WHERE name = ?", .text(Self.table)).first?.first?.textValueForTests == """
            CREATE TABLE "user""s" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "team" INTEGER, \
            "email" TEXT NOT NULL COLLATE NOCASE, "age" INTEGER DEFAULT 18 CHECK (age >= 0), "score" TEXT DEFAULT (1 + 2), \
            "nick" TEXT NOT NULL DEFAULT 'anon', doubled INTEGER GENERATED ALWAYS AS (age * 2) VIRTUAL, UNIQUE ("email"), \
            UNIQUE ("team", "nick"), FOREIGN KEY ("team") REFERENCES "teams" ("id") ON DELETE CASCADE, \
            CONSTRAINT sane CHECK (length(email) > 2))
            """)

        #expect(try Self.otherObjects(db) == objectsBefore)
        #expect(try db.query("SELECT * FROM pragma_foreign_key_list(?)", .text(Self.table)) == foreignKeysBefore)
        #expect(try db.query("SELECT rowid, id, team, email, age, score, nick, doubled FROM \"user\"\"s\" ORDER BY id") == rowsBefore)
        let after = try #require(try db.reflect(Self.table))
        #expect(after.columns.map(\.name) == columnsBefore?.columns.map(\.name))
        #expect(after.column(named: "nick", caseInsensitive: true)?.isNotNull == true)
        #expect(after.column(named: "nick", caseInsensitive: true)?.defaultSQL == "'anon'")
        #expect(after.column(named: "score", caseInsensitive: true)?.defaultSQL == "1 + 2")
        #expect(after.column(named: "email", caseInsensitive: true)?.isNotNull == true)

        // Constraints still hold.
        let insert = "INSERT INTO \"user\"\"s\" (team, email, age, nick) VALUES (?, ?, ?, ?)"
        #expect(throws: DatabaseError.self) { try db.execute(insert, 1, "ADA@X", 1, "q") }      // UNIQUE, NOCASE
        #expect(throws: DatabaseError.self) { try db.execute(insert, 1, "new@x", -1, "q") }     // column CHECK
        #expect(throws: DatabaseError.self) { try db.execute(insert, 1, "n", 1, "q") }          // table CHECK
        #expect(throws: DatabaseError.self) { try db.execute(insert, 1, "other@x", 1, "a") }    // UNIQUE (team, nick)
        // AUTOINCREMENT remembers the deleted id 9.
        try db.execute(insert, 2, "new@x", 40, "n")
        #expect(try db.query("SELECT max(id), max(doubled) FROM \"user\"\"s\"") == [[.integer(10), .integer(80)]])
        // Triggers, views and the foreign keys, both ways, still work.
        try db.execute("DELETE FROM audit")  // rows the set-up's triggers wrote
        try db.execute("UPDATE \"user\"\"s\" SET age = 37 WHERE id = 1")
        #expect(try db.query("SELECT what FROM audit") == [[.text("update ada@x")]])
        try db.execute("INSERT INTO posts VALUES (3, 2)")
        #expect(try db.query("SELECT count(*) FROM audit") == [[.integer(2)]])
        #expect(try db.query("SELECT n FROM adult_count") == [[.integer(2)]])
        #expect(try db.query("PRAGMA foreign_key_check").isEmpty)
        #expect(throws: DatabaseError.self) { try db.execute("INSERT INTO posts VALUES (4, 99)") }
        try db.execute("DELETE FROM posts WHERE author = 2")
        try db.execute("DELETE FROM teams WHERE id = 2")  // ON DELETE CASCADE still there
        #expect(try db.query("SELECT id FROM \"user\"\"s\" WHERE team = 2").isEmpty)
        // Nothing left behind.
        #expect(try db.query("SELECT name FROM sqlite_master WHERE name LIKE '\\_driftless%' ESCAPE '\\'").isEmpty)
    }

    @Test func dropIndexedColumnDropsItsIndexesOnly() throws {
        let db = try Self.makeDatabase()
        try db.execute("DROP VIEW adult_count")
        try db.execute("DROP VIEW adults")
        try db.execute("DROP INDEX users_adults")
        try db.execute("CREATE INDEX users_team ON \"user\"\"s\" (team)")
        try db.migrate { $0.dropColumn("score", from: Self.table) }   // plain: ALTER TABLE DROP COLUMN
        try db.migrate { $0.dropColumn("team", from: Self.table) }    // FK, UNIQUE (team, nick), index: rebuild
        let columns = Set(try db.columns(Self.table).keys)
        #expect(columns == ["id", "email", "age", "nick", "doubled"])
        #expect(try db.indexNames(Self.table) == ["users_age"])
        #expect(try db.query("SELECT * FROM pragma_foreign_key_list(?)", .text(Self.table)).isEmpty)
        #expect(try db.query("SELECT id, email FROM \"user\"\"s\" ORDER BY id") == [[.integer(1), .text("ada@x")], [.integer(2), .text("grace@x")]])
        try db.execute("INSERT INTO \"user\"\"s\" (email, nick) VALUES ('x@x', 'a')")  // UNIQUE (team, nick) went with team
    }

    @Test func addPrimaryKeyColumnGivesRowsTheirRowids() throws {
        let db = try SQLiteOperationDatabase()
        try db.execute("CREATE TABLE tags (label TEXT)")
        try db.execute("INSERT INTO tags VALUES ('a'), ('b')")
        try db.migrate { $0.addColumn(TableColumn("id", .integer, primaryKey: true), to: "tags") }
        #expect(try db.columns("tags")["id"]?.isPrimaryKey == true)
        #expect(try db.query("SELECT id, label FROM tags ORDER BY id") == [[.integer(1), .text("a")], [.integer(2), .text("b")]])
    }

    @Test func failingRebuildKeepsTableIndexesTriggersAndViews() throws {
        let db = try Self.makeDatabase()
        let objectsBefore = try Self.otherObjects(db)
        let tableBefore = try db.query("SELECT sql FROM sqlite_master WHERE name = ?", .text(Self.table))
        let rowsBefore = try db.query("SELECT * FROM \"user\"\"s\" ORDER BY id")
        try db.execute("UPDATE \"user\"\"s\" SET nick = NULL WHERE id = 2")
        #expect(throws: DatabaseError.self) {
            try db.migrate { $0.alterColumn("nick", in: Self.table, nullable: false) }
        }
        #expect(try Self.otherObjects(db) == objectsBefore)
        #expect(try db.query("SELECT sql FROM sqlite_master WHERE name = ?", .text(Self.table)) == tableBefore)
        #expect(try db.query("SELECT count(*) FROM \"user\"\"s\"") == [[.integer(Int64(rowsBefore.count))]])
    }

    @Test func rebuildRefusesWhileForeignKeysAreEnforced() throws {
        let db = try Self.makeDatabase()
        // Outside the runner: foreign keys on. Dropping the old copy would orphan posts.
        #expect {
            try db.withConnection { try SchemaOperation.alterColumn(TableName(Self.table), column: "nick", ColumnAlteration(nullable: false)).apply(on: $0) }
        } throws: { error in
            guard let error = error as? MigrationError, error.code == .foreignKeysEnforced else { return false }
            return error.table == Self.table && error.related == ["posts"] && "\(error)".contains("PRAGMA foreign_keys = OFF")
        }
        #expect(try db.query("SELECT count(*) FROM posts") == [[.integer(2)]])
        // A table nothing references rebuilds with foreign keys on.
        try db.withConnection { try SchemaOperation.alterColumn(TableName("audit"), column: "what", ColumnAlteration(type: .integer)).apply(on: $0) }
        #expect(try db.columns("audit")["what"]?.declaredType == "INTEGER")
    }

    @Test func typeChangeUsesAffinityNotLossyCasts() throws {
        let db = try SQLiteOperationDatabase()
        try db.execute("CREATE TABLE m (v TEXT)")
        try db.execute("INSERT INTO m VALUES ('12'), ('abc'), ('1.5'), (NULL)")
        try db.migrate { $0.alterColumn("v", in: "m", type: .integer) }
        #expect(try db.query("SELECT v FROM m ORDER BY rowid") == [[.integer(12)], [.text("abc")], [.real(1.5)], [.null]])
    }

    @Test func withoutRowidAndStrictTablesKeepTheirOptions() throws {
        let db = try SQLiteOperationDatabase()
        try db.execute("CREATE TABLE kv (k TEXT PRIMARY KEY, v INTEGER) WITHOUT ROWID, STRICT")
        try db.execute("INSERT INTO kv VALUES ('a', 1)")
        try db.migrate { $0.alterColumn("v", in: "kv", default: .set(5)) }
        let sql = try db.query("SELECT sql FROM sqlite_master WHERE name = 'kv'")
        #expect(sql.first?.first?.textValueForTests?.hasSuffix("WITHOUT ROWID, STRICT") == true)
        #expect(throws: DatabaseError.self) { try db.execute("INSERT INTO kv VALUES ('b', 'not a number')") }
        try db.execute("INSERT INTO kv (k) VALUES ('c')")
        #expect(try db.query("SELECT k, v FROM kv ORDER BY k") == [[.text("a"), .integer(1)], [.text("c"), .integer(5)]])
    }
}

extension DatabaseValue {
    var textValueForTests: String? {
        if case .text(let text) = self { return text }
        return nil
    }
}
