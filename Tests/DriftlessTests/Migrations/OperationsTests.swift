import Driftless
import DriftlessMigrations
import Testing

/// Each schema operation applied to a real database, on every backend: the reflected schema
/// afterwards, and the rows that must survive.
@Suite("Migration operations")
struct OperationsTests {
    /// Names that break SQL built by string concatenation.
    static let table = "order \"items\""
    static let keyword = "select"
    static let quoted = "na\"me"

    @Test(arguments: OperationBackend.enabled)
    func createTableWithHostileNamesKeyAndDefaults(_ backend: OperationBackend) throws {
        let db = try backend.makeDatabase()
        try db.migrate { up in
            up.createTable(Self.table) {
                TableColumn("id", .integer, primaryKey: true)
                TableColumn(Self.keyword, .text, nullable: false, default: "it's")
                TableColumn(Self.quoted, .real, default: 1.5)
                TableColumn("code", .text, unique: true)
            }
        }
        let columns = try db.columns(Self.table)
        #expect(Set(columns.keys) == ["id", Self.keyword, Self.quoted, "code"])
        #expect(columns["id"]?.isPrimaryKey == true)
        #expect(columns[Self.keyword]?.isNotNull == true)
        #expect(columns[Self.quoted]?.isNotNull == false)
        try db.execute("INSERT INTO \(db.q(Self.table)) (\(db.q("id")), \(db.q("code"))) VALUES (\(db.p(1)), \(db.p(2)))", 1, "a")
        let row = try db.query("SELECT \(db.q(Self.keyword)), \(db.q(Self.quoted)) FROM \(db.q(Self.table))")
        #expect(row == [[.text("it's"), .real(1.5)]])
        #expect(throws: DatabaseError.self) {
            try db.execute("INSERT INTO \(db.q(Self.table)) (\(db.q("id")), \(db.q("code"))) VALUES (\(db.p(1)), \(db.p(2)))", 2, "a")
        }
    }

    @Test(arguments: OperationBackend.enabled)
    func createTableWithCompositeKeyAndIfNotExists(_ backend: OperationBackend) throws {
        let db = try backend.makeDatabase()
        let create: (inout MigrationBuilder) -> Void = { up in
            up.createTable("memberships", ifNotExists: true, primaryKey: ["user", "group"]) {
                TableColumn("user", .integer)
                TableColumn("group", .integer)
                TableColumn("role", .text, nullable: false, default: "member")
            }
        }
        try db.migrate(create)
        try db.migrate(create)  // IF NOT EXISTS: no error the second time
        let columns = try db.columns("memberships")
        #expect(columns["user"]?.isPrimaryKey == true && columns["group"]?.isPrimaryKey == true)
        #expect(columns["role"]?.isPrimaryKey == false)
        #expect(columns["user"]?.isNotNull == true)
        try db.execute("INSERT INTO memberships (\(db.q("user")), \(db.q("group"))) VALUES (1, 1)")
        #expect(throws: DatabaseError.self) {
            try db.execute("INSERT INTO memberships (\(db.q("user")), \(db.q("group"))) VALUES (1, 1)")
        }
    }

    @Test(arguments: OperationBackend.enabled)
    func dropAndRenameTable(_ backend: OperationBackend) throws {
        let db = try backend.makeDatabase()
        try db.execute("CREATE TABLE \(db.q(Self.table)) (id \(db.type(.integer)) PRIMARY KEY, name \(db.type(.text)))")
        try db.execute("INSERT INTO \(db.q(Self.table)) VALUES (1, 'Ada'), (2, 'Grace')")
        try db.migrate { $0.renameTable(Self.table, to: "group") }
        #expect(try db.reflect(Self.table) == nil)
        #expect(try db.query("SELECT name FROM \(db.q("group")) ORDER BY id") == [[.text("Ada")], [.text("Grace")]])
        try db.migrate { $0.dropTable("group") }
        #expect(try db.reflect("group") == nil)
        try db.migrate { $0.dropTable("group", ifExists: true) }
        #expect(throws: (any Error).self) { try db.migrate { $0.dropTable("group") } }
    }

    @Test(arguments: OperationBackend.enabled)
    func addColumnKeepsRowsAndFillsTheDefault(_ backend: OperationBackend) throws {
        let db = try backend.makeDatabase()
        try db.execute("CREATE TABLE users (id \(db.type(.integer)) PRIMARY KEY, name \(db.type(.text)))")
        try db.execute("INSERT INTO users VALUES (1, 'Ada'), (2, 'Grace')")
        try db.migrate { up in
            up.addColumn("plan", .text, to: "users", nullable: false, default: "free")
            up.addColumn(Self.quoted, .integer, to: "users")
            up.addColumn("email", .text, to: "users", unique: true)
        }
        let columns = try db.columns("users")
        #expect(columns["plan"]?.isNotNull == true)
        #expect(columns["plan"]?.defaultSQL != nil)
        #expect(columns[Self.quoted]?.isNotNull == false)
        #expect(try db.query("SELECT id, name, plan, \(db.q(Self.quoted)) FROM users ORDER BY id") == [
            [.integer(1), .text("Ada"), .text("free"), .null],
            [.integer(2), .text("Grace"), .text("free"), .null],
        ])
        try db.execute("UPDATE users SET email = 'a@example.com' WHERE id = 1")
        #expect(throws: DatabaseError.self) { try db.execute("UPDATE users SET email = 'a@example.com' WHERE id = 2") }
    }

    @Test(arguments: OperationBackend.enabled)
    func addColumnIfNotExistsLeavesAnExistingColumnAlone(_ backend: OperationBackend) throws {
        let db = try backend.makeDatabase()
        try db.execute("CREATE TABLE users (id \(db.type(.integer)) PRIMARY KEY, plan \(db.type(.text)) DEFAULT 'pro')")
        try db.execute("INSERT INTO users (id) VALUES (1)")
        try db.migrate { $0.addColumn("plan", .integer, to: "users", nullable: false, default: 0, ifNotExists: true) }
        #expect(try db.columns("users")["plan"]?.isNotNull == false)
        #expect(try db.query("SELECT plan FROM users") == [[.text("pro")]])
        #expect(throws: (any Error).self) {
            try db.migrate { $0.addColumn("plan", .integer, to: "users") }
        }
    }

    @Test(arguments: OperationBackend.enabled)
    func addingARequiredColumnToATableWithRowsFailsAndChangesNothing(_ backend: OperationBackend) throws {
        let db = try backend.makeDatabase()
        try db.execute("CREATE TABLE users (id \(db.type(.integer)) PRIMARY KEY, name \(db.type(.text)))")
        try db.execute("INSERT INTO users VALUES (1, 'Ada')")
        #expect(throws: (any Error).self) {
            try db.migrate { $0.addColumn("plan", .text, to: "users", nullable: false) }
        }
        #expect(Set(try db.columns("users").keys) == ["id", "name"])
        #expect(try db.query("SELECT id, name FROM users") == [[.integer(1), .text("Ada")]])
    }

    @Test(arguments: OperationBackend.enabled)
    func addingARequiredColumnToAnEmptyTableWorks(_ backend: OperationBackend) throws {
        let db = try backend.makeDatabase()
        try db.execute("CREATE TABLE users (id \(db.type(.integer)) PRIMARY KEY)")
        try db.migrate { $0.addColumn("plan", .text, to: "users", nullable: false) }
        #expect(try db.columns("users")["plan"]?.isNotNull == true)
        #expect(throws: DatabaseError.self) { try db.execute("INSERT INTO users (id) VALUES (1)") }
    }

    @Test(arguments: OperationBackend.enabled)
    func dropColumnKeepsTheOtherColumnsRows(_ backend: OperationBackend) throws {
        let db = try backend.makeDatabase()
        try db.execute("""
            CREATE TABLE users (id \(db.type(.integer)) PRIMARY KEY, name \(db.type(.text)), \
            \(db.q(Self.keyword)) \(db.type(.text)), email \(db.type(.text)), legacy \(db.type(.text)))
            """)
        try db.execute("CREATE INDEX users_email ON users (email)")
        try db.execute("CREATE INDEX users_name ON users (name)")
        try db.execute("INSERT INTO users VALUES (1, 'Ada', 's1', 'a@x', 'l1'), (2, 'Grace', 's2', 'g@x', 'l2')")
        try db.migrate { up in
            up.dropColumn(Self.keyword, from: "users")
            up.dropColumn("email", from: "users")  // indexed: SQLite needs the rebuild
            up.dropColumn("legacy", from: "users")
        }
        #expect(Set(try db.columns("users").keys) == ["id", "name"])
        #expect(try db.indexNames("users") == ["users_name"])
        #expect(try db.query("SELECT id, name FROM users ORDER BY id") == [[.integer(1), .text("Ada")], [.integer(2), .text("Grace")]])
    }

    @Test(arguments: OperationBackend.enabled)
    func renameColumnKeepsItsValues(_ backend: OperationBackend) throws {
        let db = try backend.makeDatabase()
        try db.execute("CREATE TABLE users (id \(db.type(.integer)) PRIMARY KEY, mail \(db.type(.text)))")
        try db.execute("INSERT INTO users VALUES (1, 'a@x')")
        try db.migrate { $0.renameColumn("mail", to: Self.quoted, in: "users") }
        #expect(Set(try db.columns("users").keys) == ["id", Self.quoted])
        #expect(try db.query("SELECT \(db.q(Self.quoted)) FROM users") == [[.text("a@x")]])
    }

    @Test(arguments: OperationBackend.enabled)
    func alterColumnTypeConvertsValues(_ backend: OperationBackend) throws {
        let db = try backend.makeDatabase()
        try db.execute("CREATE TABLE items (id \(db.type(.integer)) PRIMARY KEY, qty \(db.type(.text)), flag \(db.type(.integer)))")
        try db.execute("INSERT INTO items VALUES (1, '12', 1), (2, '7', 0)")
        try db.migrate { up in
            up.alterColumn("qty", in: "items", type: .integer)
            up.alterColumn("flag", in: "items", type: .boolean)
        }
        let columns = try db.columns("items")
        #expect(columns["qty"]?.declaredType.lowercased() == db.backend.reflectedTypeName(.integer).lowercased())
        #expect(columns["flag"]?.declaredType.lowercased() == db.backend.reflectedTypeName(.boolean).lowercased())
        #expect(try db.query("SELECT qty, flag FROM items ORDER BY id") == [[.integer(12), .integer(1)], [.integer(7), .integer(0)]])
    }

    @Test(arguments: OperationBackend.enabled)
    func alterColumnNullabilityAndDefault(_ backend: OperationBackend) throws {
        let db = try backend.makeDatabase()
        try db.execute("""
            CREATE TABLE users (id \(db.type(.integer)) PRIMARY KEY, plan \(db.type(.text)), \
            name \(db.type(.text)) NOT NULL DEFAULT 'x')
            """)
        try db.execute("INSERT INTO users (id, plan) VALUES (1, 'pro')")
        try db.migrate { up in
            up.alterColumn("plan", in: "users", nullable: false, default: .set("free"))
            up.alterColumn("name", in: "users", nullable: true, default: .drop)
        }
        var columns = try db.columns("users")
        #expect(columns["plan"]?.isNotNull == true)
        #expect(columns["plan"]?.defaultSQL?.contains("free") == true)
        #expect(columns["name"]?.isNotNull == false)
        #expect(columns["name"]?.defaultSQL == nil)
        try db.execute("INSERT INTO users (id) VALUES (2)")
        #expect(try db.query("SELECT id, plan, name FROM users ORDER BY id") == [
            [.integer(1), .text("pro"), .text("x")], [.integer(2), .text("free"), .null],
        ])
        try db.migrate { $0.alterColumn("plan", in: "users", default: .drop) }
        columns = try db.columns("users")
        #expect(columns["plan"]?.defaultSQL == nil)
        #expect(columns["plan"]?.isNotNull == true)
    }

    @Test(arguments: OperationBackend.enabled)
    func failingAlterLeavesTheTableAsItWas(_ backend: OperationBackend) throws {
        let db = try backend.makeDatabase()
        try db.execute("CREATE TABLE users (id \(db.type(.integer)) PRIMARY KEY, email \(db.type(.text)), name \(db.type(.text)))")
        try db.execute("CREATE INDEX users_name ON users (name)")
        try db.execute("INSERT INTO users VALUES (1, NULL, 'Ada'), (2, 'g@x', 'Grace')")
        let before = try db.reflect("users")
        #expect(throws: (any Error).self) {
            try db.migrate { $0.alterColumn("email", in: "users", nullable: false) }
        }
        #expect(try db.reflect("users") == before)
        #expect(try db.indexNames("users") == ["users_name"])
        #expect(try db.query("SELECT id, email, name FROM users ORDER BY id") == [
            [.integer(1), .null, .text("Ada")], [.integer(2), .text("g@x"), .text("Grace")],
        ])
    }

    @Test(arguments: OperationBackend.enabled)
    func createAndDropIndexes(_ backend: OperationBackend) throws {
        let db = try backend.makeDatabase()
        try db.execute("CREATE TABLE \(db.q(Self.table)) (id \(db.type(.integer)) PRIMARY KEY, \(db.q(Self.keyword)) \(db.type(.text)))")
        try db.migrate { up in
            up.createIndex("by \"select\"", on: Self.table, columns: [Self.keyword], unique: true)
            up.createIndex("by \"select\"", on: Self.table, columns: [Self.keyword], ifNotExists: true)
        }
        #expect(try db.indexNames(Self.table) == ["by \"select\""])
        try db.execute("INSERT INTO \(db.q(Self.table)) VALUES (1, 'a')")
        #expect(throws: DatabaseError.self) { try db.execute("INSERT INTO \(db.q(Self.table)) VALUES (2, 'a')") }
        try db.migrate { up in
            up.dropIndex("by \"select\"", on: Self.table)
            up.dropIndex("by \"select\"", on: Self.table, ifExists: true)
        }
        #expect(try db.indexNames(Self.table).isEmpty)
        try db.execute("INSERT INTO \(db.q(Self.table)) VALUES (2, 'a')")
    }

    @Test(arguments: OperationBackend.enabled)
    func concurrentIndexOutsideATransaction(_ backend: OperationBackend) throws {
        let db = try backend.makeDatabase()
        try db.execute("CREATE TABLE users (id \(db.type(.integer)) PRIMARY KEY, email \(db.type(.text)))")
        var up = MigrationBuilder()
        up.createIndex("users_email", on: "users", columns: ["email"], concurrently: true)
        up.dropIndex("users_email", on: "users", concurrently: true)
        up.createIndex("users_email2", on: "users", columns: ["email"], concurrently: true, ifNotExists: true)
        try db.migrate(up.operations, transactional: false)
        #expect(try db.indexNames("users") == ["users_email2"])
    }

    @Test(arguments: OperationBackend.enabled)
    func executeBindsValuesThatLookLikeSQL(_ backend: OperationBackend) throws {
        let db = try backend.makeDatabase()
        try db.execute("CREATE TABLE notes (id \(db.type(.integer)) PRIMARY KEY, body \(db.type(.text)))")
        let hostile = "'); DROP TABLE notes; --"
        try db.migrate { up in
            up.execute("INSERT INTO notes (id, body) VALUES (\(db.p(1)), \(db.p(2)))", arguments: [1, .text(hostile)])
            up.execute("UPDATE notes SET body = body || \(db.p(1)) WHERE id = \(db.p(2))", arguments: ["!", 1])
        }
        #expect(try db.query("SELECT body FROM notes") == [[.text(hostile + "!")]])
    }

    @Test(arguments: OperationBackend.enabled)
    func scriptAndCustomRunOnTheConnection(_ backend: OperationBackend) throws {
        let db = try backend.makeDatabase()
        try db.migrate { up in
            up.script("""
                CREATE TABLE a (id \(db.type(.integer)) PRIMARY KEY); -- a comment; with a semicolon
                INSERT INTO a VALUES (1);
                INSERT INTO a VALUES (2);
                """)
            up.custom("double") { connection in
                let rows = try connection.query("SELECT id FROM a ORDER BY id", arguments: [])
                for row in rows {
                    guard case .integer(let id) = row[0] else { continue }
                    try connection.execute("INSERT INTO a VALUES (\(connection.dialect.placeholder(1)))", arguments: [.integer(id * 10)])
                }
            }
        }
        #expect(try db.query("SELECT id FROM a ORDER BY id") == [[.integer(1)], [.integer(2)], [.integer(10)], [.integer(20)]])
    }

    @Test(arguments: OperationBackend.enabled)
    func aFailingMigrationRollsBackEveryOperation(_ backend: OperationBackend) throws {
        let db = try backend.makeDatabase()
        try db.execute("CREATE TABLE users (id \(db.type(.integer)) PRIMARY KEY, email \(db.type(.text)))")
        try db.execute("INSERT INTO users VALUES (1, NULL)")
        #expect(throws: (any Error).self) {
            try db.migrate { up in
                up.addColumn("plan", .text, to: "users", default: "free")
                up.createIndex("users_plan", on: "users", columns: ["plan"])
                up.alterColumn("email", in: "users", nullable: false)  // fails: a NULL email
            }
        }
        #expect(Set(try db.columns("users").keys) == ["id", "email"])
        #expect(try db.indexNames("users").isEmpty)
    }
}

/// What only PostgreSQL does: `USING` conversions for types it has no direct cast between.
@Suite("Migration operations on PostgreSQL")
struct OperationsPostgresTests {
    @Test(arguments: OperationBackend.enabled.filter { $0 == .postgres })
    func typeChangesUseAConversionPostgresAccepts(_ backend: OperationBackend) throws {
        let db = try backend.makeDatabase()
        try db.execute("CREATE TABLE events (id bigint PRIMARY KEY, at bigint, flag boolean, n double precision)")
        try db.execute("INSERT INTO events VALUES (1, 86400, true, 2.0)")
        try db.migrate { up in
            up.alterColumn("at", in: "events", type: .timestamp)   // bigint has no cast to timestamptz
            up.alterColumn("flag", in: "events", type: .integer)   // nor boolean to bigint
            up.alterColumn("n", in: "events", type: .text, default: .set("none"))
        }
        let columns = try db.columns("events")
        #expect(columns["at"]?.declaredType == "timestamp with time zone")
        #expect(columns["flag"]?.declaredType == "bigint")
        #expect(columns["n"]?.defaultSQL == "'none'::text")
        #expect(try db.query("SELECT extract(epoch FROM at)::bigint, flag, n FROM events")
            == [[.integer(86400), .integer(1), .text("2")]])
    }
}
