import Driftless
import DriftlessSQLite
import Foundation
import Logging
import Testing

/// What only the SQLite backend does: files, connections, error classification.
@Suite("SQLite backend")
struct SQLiteBackendTests {
    @Test func corruptFileIsATypedError() throws {
        let directory = TemporaryDirectory()
        let path = directory.path("corrupt.sqlite")
        try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: path))
        #expect {
            _ = try SQLiteDatabase(path: path)
        } throws: { error in
            guard let error = error as? DatabaseError else { return false }
            return error.kind == .corrupt && error.message.contains("corrupt.sqlite")
        }
        // Nothing was written over the file.
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(repeating: 0x5A, count: 8192))
    }

    @Test func missingFolderIsATypedError() {
        #expect {
            _ = try SQLiteDatabase(path: "/nonexistent-folder/\(UUID().uuidString)/db.sqlite")
        } throws: { error in
            (error as? DatabaseError)?.kind == .cannotOpen
        }
    }

    @Test func readOnlyDatabaseRejectsWritesAndKeepsData() throws {
        let fixture = try SQLiteFixture()
        try fixture.database.blocking.execute(User.oldTableSQL)
        try fixture.database.blocking.repository(User.self).insert(User(id: 1, name: "Ada", email: nil, plan: "free"))
        let readOnly = try SQLiteDatabase(path: fixture.database.path, configuration: SQLiteConfiguration(
            readOnly: true, drift: DriftConfiguration(logger: LogCapture.silentLogger)))
        let users = readOnly.blocking.repository(User.self)
        #expect(try users.find(Int64(1))?.name == "Ada")
        #expect {
            try users.insert(User(id: 2, name: "Bob", email: nil, plan: "free"))
        } throws: { error in
            (error as? DatabaseError)?.kind == .readOnly
        }
        #expect(try users.count() == 1)
    }

    @Test func wrongColumnTypeNamesTableColumnAndKey() throws {
        let db = try SQLiteFixture().database
        try db.blocking.execute(User.oldTableSQL)
        try db.blocking.execute("INSERT INTO users (id, name, email) VALUES (1, 'Ada', X'00FF')")
        #expect(throws: DriftlessError.typeMismatch(table: TableName("users"), column: "email", key: "id=1",
                                                     expected: "String", found: .blob([0x00, 0xFF]))) {
            try db.blocking.repository(User.self).find(Int64(1))
        }
        try db.blocking.execute("CREATE TABLE loose (id INTEGER PRIMARY KEY, name TEXT, email TEXT)")
        try db.blocking.execute("INSERT INTO loose (id, name) VALUES (7, NULL)")
        #expect(throws: DriftlessError.unexpectedNull(table: TableName("users"), column: "name", key: "id=7")) {
            try db.blocking.repository(User.self).fetchAll(sql: "SELECT id, name, email FROM loose")
        }
    }

    @Test func losslessTypeDriftIsRead() throws {
        let db = try SQLiteFixture().database
        // Untyped columns keep whatever was stored: text digits, 0/1, integers.
        try db.blocking.execute("CREATE TABLE flags (id INTEGER PRIMARY KEY, count, enabled, ratio)")
        try db.blocking.execute("INSERT INTO flags VALUES (1, '42', 1, 3), (2, 7, 0, '0.5'), (3, 'many', 1, 1.0)")
        let flags = db.blocking.repository(Flags.self)
        #expect(try flags.find(1) == Flags(id: 1, count: 42, enabled: true, ratio: 3))
        #expect(try flags.find(2) == Flags(id: 2, count: 7, enabled: false, ratio: 0.5))
        #expect(throws: DriftlessError.typeMismatch(table: TableName("flags"), column: "count", key: "id=3",
                                                     expected: "Int", found: .text("many"))) {
            try flags.find(3)
        }
        try db.blocking.execute("INSERT INTO flags VALUES (4, 1, 2, 0)")
        #expect(throws: DriftlessError.typeMismatch(table: TableName("flags"), column: "enabled", key: "id=4",
                                                     expected: "Bool", found: .integer(2))) {
            try flags.find(4)
        }
    }

    @Test func doubleQuotedStringsAreNotLiterals() throws {
        let db = try SQLiteFixture().database
        try db.blocking.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
        #expect {
            try db.blocking.execute("SELECT \"missing\" FROM t")
        } throws: { error in
            (error as? DatabaseError).map { $0.kind == .undefinedColumn && $0.column == "missing" } == true
        }
    }

    @Test func errorClassification() throws {
        let db = try SQLiteFixture().database
        try db.blocking.execute(User.oldTableSQL)
        func classified(_ sql: String) -> DatabaseError? {
            do { try db.blocking.execute(sql); return nil } catch { return error as? DatabaseError }
        }
        func kind(_ sql: String) -> DatabaseError.Kind? { classified(sql)?.kind }
        for sql in ["SELECT nope FROM users", "SELECT users.nope FROM users", "INSERT INTO users (nope) VALUES (1)"] {
            let error = classified(sql)
            #expect(error?.kind == .undefinedColumn && error?.column == "nope", "\(sql)")
        }
        let table = classified("SELECT * FROM nowhere")
        #expect(table?.kind == .undefinedTable && table?.table == "nowhere")
        let plan = classified("INSERT INTO users (id, name, plan) VALUES (1, 'a', 'b')")
        #expect(plan?.kind == .undefinedColumn && plan?.column == "plan")
        let notNull = classified("INSERT INTO users (id) VALUES (1)")
        #expect(notNull?.kind == .notNullViolation && notNull?.column == "name")
        #expect(kind("INSERT INTO users (id, name) VALUES (1, 'a')") == nil)
        #expect(kind("INSERT INTO users (id, name) VALUES (1, 'a')") == .uniqueViolation)
        #expect(kind("SELEC 1") == .syntax)
    }

    @Test func insertAndFetchReturnsAssignedKeyAndTypes() throws {
        let db = try SQLiteFixture().database
        try db.blocking.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL, created_at TEXT, payload BLOB)")
        let notes = db.blocking.repository(Note.self)
        let date = Date(timeIntervalSince1970: 1_790_000_000.123)
        let stored = try notes.insertAndFetch(Note(id: nil, body: "first", createdAt: date, payload: [0, 1, 2, 255]))
        #expect(stored.id == 1)
        #expect(stored.body == "first")
        #expect(abs((stored.createdAt?.timeIntervalSince1970 ?? 0) - date.timeIntervalSince1970) < 0.001)
        #expect(stored.payload == [0, 1, 2, 255])
        let empty = try notes.insertAndFetch(Note(id: nil, body: "", createdAt: nil, payload: []))
        #expect(empty.id == 2)
        #expect(empty.body == "")
        #expect(empty.payload == [])
    }

    @Test func createMissingTablesBuildsFromTheDeclaration() throws {
        let fixture = try SQLiteFixture(drift: DriftConfiguration(createMissingTables: true, logger: LogCapture.silentLogger))
        let users = fixture.database.blocking.repository(User.self)
        #expect(try users.fetchAll().isEmpty)
        try users.insert(User(id: 1, name: "Ada", email: nil, plan: "pro"))
        #expect(try users.find(Int64(1)) == User(id: 1, name: "Ada", email: nil, plan: "pro"))
        #expect(try users.planMode() == .full)
    }

    @Test func driftIsLoggedOncePerMissingSetAndClearsWithANotice() throws {
        let capture = LogCapture()
        let fixture = try SQLiteFixture(drift: DriftConfiguration(catchUpInterval: .zero, logger: capture.logger))
        let db = fixture.database
        try db.blocking.execute(User.oldTableSQL)
        try db.blocking.execute("INSERT INTO users (id, name) VALUES (1, 'Ada')")
        let users = db.blocking.repository(User.self)
        for _ in 0..<10 { _ = try users.find(Int64(1)) }
        _ = try users.fetchAll()
        _ = try users.count(User.filter(\.plan == "free"))
        let warnings = capture.logged.filter { $0.level == .warning }
        #expect(warnings.count == 1)
        #expect(warnings.first?.metadata["missing"] == "plan")
        #expect(warnings.first?.metadata["table"] == "users")

        try users.insert(User(id: 2, name: "Bob", email: nil, plan: "pro"))
        let dropped = capture.logged.filter { $0.message.contains("dropped") }
        #expect(dropped.count == 1)
        #expect(dropped.first?.metadata["key"] == "id=2")

        // Forgetting the schema while the table still drifts reports nothing new.
        db.invalidateSchema()
        _ = try users.find(Int64(1))
        #expect(capture.logged.filter { $0.level == .warning && $0.message.contains("schema drift") }.count == 1)
        #expect(capture.logged.filter { $0.message.contains("cleared") }.isEmpty)

        try fixture.openAnother().blocking.execute("ALTER TABLE users ADD COLUMN plan TEXT NOT NULL DEFAULT 'free'")
        _ = try users.find(Int64(1))
        #expect(try users.planMode() == .full)
        #expect(capture.logged.filter { $0.level == .notice && $0.message.contains("cleared") }.count == 1)
    }

    @Test func explicitInvalidationReturnsToTheFullPlan() throws {
        let fixture = try SQLiteFixture(drift: DriftConfiguration(catchUpInterval: .seconds(3600), logger: LogCapture.silentLogger))
        let db = fixture.database
        try db.blocking.execute(User.oldTableSQL)
        let users = db.blocking.repository(User.self)
        _ = try users.fetchAll()
        #expect(try users.planMode() == .projected(missing: ["plan"]))
        try db.blocking.execute("ALTER TABLE users ADD COLUMN plan TEXT NOT NULL DEFAULT 'free'")
        #expect(try users.planMode() == .projected(missing: ["plan"]), "the interval has not elapsed")
        db.invalidateSchema()
        #expect(try users.planMode() == .full)
    }

    @Test func driftReportListsMissingAndExtraColumns() throws {
        let db = try SQLiteFixture().database
        try db.blocking.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, legacy_flag INTEGER)")
        let report = try db.blocking.driftReport(for: [User.self, Note.self])
        #expect(report.entries.count == 2)
        #expect(report.entries[0].missingColumns == ["email", "plan"])
        #expect(report.entries[0].extraColumns == ["legacy_flag"])
        #expect(report.entries[0].mode == .projected(missing: ["email", "plan"]))
        #expect(report.entries[1].tableExists == false)
        #expect(report.entries[1].mode == .tableMissing)
        #expect(!report.isClean)
        #expect(report.description.contains("legacy_flag"))
    }

    @Test func concurrentReadersAndWriterFromThreads() async throws {
        let db = try SQLiteFixture().database
        try await db.execute(User.oldTableSQL)
        let users = db.repository(User.self)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<4 {
                group.addTask {
                    for index in 0..<25 {
                        try await users.insert(User(id: Int64(writer * 100 + index), name: "u", email: nil, plan: "free"))
                    }
                }
            }
            for _ in 0..<4 {
                group.addTask {
                    for _ in 0..<25 { _ = try await users.count() }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await users.count() == 100)
    }
}

private struct Flags: Record, Codable, Equatable {
    var id: Int
    var count: Int
    var enabled: Bool
    var ratio: Double
    static let schema = RecordSchema<Flags>(table: "flags") {
        Column("id", \.id, primaryKey: true)
        Column("count", \.count, default: 0)
        Column("enabled", \.enabled, default: false)
        Column("ratio", \.ratio, default: 0)
    }
}
