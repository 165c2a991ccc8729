import Driftless
import DriftlessMigrations
import Foundation
import Testing

/// A record on hostile names with every column type the diff maps.
private struct Ledger: Record, Codable, Equatable {
    var id: Int64
    var select: String
    var amount: Double
    var paid: Bool
    var at: Date?
    var blob: [UInt8]?

    static let schema = RecordSchema<Ledger>(table: "order \"ledger\"") {
        Column("id", \.id, primaryKey: true)
        Column("select", \.select, default: "it's")
        Column("amount", \.amount, default: 0.5)
        Column("paid", \.paid, default: false)
        Column("at", \.at)
        Column("blob", \.blob)
    }
}

/// A record that declares indexes, one of them on a hostile name.
private struct Badge: Record, Codable {
    var id: Int64
    var code: String
    var owner: Int64?

    static let schema = RecordSchema<Badge>(table: "badges", indexes: [
        RecordIndex("badges_code", on: ["code"], unique: true),
        RecordIndex("badges \"owner\"", on: ["owner", "code"]),
    ]) {
        Column("id", \.id, primaryKey: true)
        Column("code", \.code, default: "")
        Column("owner", \.owner)
    }
}

/// A record whose index names a column it does not declare.
private struct BrokenIndex: Record, Codable {
    var id: Int64

    static let schema = RecordSchema<BrokenIndex>(table: "broken", indexes: [RecordIndex("broken_x", on: ["x"])]) {
        Column("id", \.id, primaryKey: true)
    }
}

/// `SchemaDiff`: records against the live schema, on every backend, and its operations
/// applied until nothing differs.
@Suite("Schema diff")
struct DiffTests {
    func compare(_ db: any OperationTestDatabase, _ records: [any Record.Type]) throws -> SchemaDiff {
        try db.withConnection { try SchemaDiff.compare(records: records, on: $0) }
    }

    @Test(arguments: OperationBackend.enabled)
    func missingTablesAreCreatedAndTheDiffEmpties(_ backend: OperationBackend) throws {
        let db = try backend.makeDatabase()
        let records: [any Record.Type] = [Member.self, Ledger.self, Note.self]
        let diff = try compare(db, records)
        #expect(diff.differences == [
            .missingTable(TableName("members"), records: ["Member"]),
            .missingTable(TableName("order \"ledger\""), records: ["Ledger"]),
            .missingTable(TableName("notes"), records: ["Note"]),
        ])
        #expect(diff.operations.count == 3)
        #expect(diff.findings.first == "missing table members (declared by Member)")
        try db.migrate(diff.operations)
        let after = try compare(db, records)
        #expect(after.isEmpty, "\(after.findings)")
        #expect(after.operations.isEmpty)
        let ledger = try db.columns("order \"ledger\"")
        #expect(ledger["id"]?.isPrimaryKey == true)
        #expect(ledger["select"]?.isNotNull == true)
        #expect(ledger["at"]?.isNotNull == false)
        try db.execute("INSERT INTO \(db.q("order \"ledger\"")) (id) VALUES (1)")
        #expect(try db.query("SELECT \(db.q("select")), amount, paid FROM \(db.q("order \"ledger\""))")
            == [[.text("it's"), .real(0.5), .integer(0)]])
    }

    @Test(arguments: OperationBackend.enabled)
    func missingColumnsGiveOldRowsTheDeclaredDefault(_ backend: OperationBackend) throws {
        let db = try backend.makeDatabase()
        try db.execute("CREATE TABLE members (id \(db.type(.integer)) PRIMARY KEY, name \(db.type(.text)) NOT NULL)")
        try db.execute("INSERT INTO members VALUES (1, 'Ada'), (2, 'Grace')")
        let diff = try compare(db, [Member.self])
        #expect(diff.differences == [
            .missingColumn(TableName("members"), column: "age", type: .integer, records: ["Member"]),
            .missingColumn(TableName("members"), column: "email", type: .text, records: ["Member"]),
            .missingColumn(TableName("members"), column: "score", type: .real, records: ["Member"]),
            .missingColumn(TableName("members"), column: "active", type: .boolean, records: ["Member"]),
        ])
        #expect(diff.notes.isEmpty)
        try db.migrate(diff.operations)
        #expect(try compare(db, [Member.self]).isEmpty)
        // Exactly what Driftless read for these rows while the columns were missing.
        #expect(try db.query("SELECT id, age, email, score, active FROM members ORDER BY id") == [
            [.integer(1), .integer(0), .null, .real(1.5), .integer(1)],
            [.integer(2), .integer(0), .null, .real(1.5), .integer(1)],
        ])
        let columns = try db.columns("members")
        #expect(columns["age"]?.isNotNull == true)
        #expect(columns["email"]?.isNotNull == false)
    }

    @Test(arguments: OperationBackend.enabled)
    func extraTablesAndColumnsAreReportedNotDropped(_ backend: OperationBackend) throws {
        let db = try backend.makeDatabase()
        try db.execute("""
            CREATE TABLE users (id \(db.type(.integer)) PRIMARY KEY, name \(db.type(.text)) NOT NULL DEFAULT '', \
            email \(db.type(.text)), plan \(db.type(.text)) NOT NULL DEFAULT 'free', legacy \(db.type(.text)))
            """)
        try db.execute("CREATE TABLE audit (what \(db.type(.text)))")
        try db.execute("CREATE TABLE driftless_version (version_num \(db.type(.text)) PRIMARY KEY)")
        let diff = try compare(db, [User.self, StrictUser.self])
        #expect(diff.differences == [
            .extraColumn(TableName("users"), column: "legacy"),
            .extraTable(TableName("audit")),
        ])
        #expect(diff.operations.isEmpty)
        #expect(diff.findings == [
            "extra column users.legacy: no record declares it (left as it is)",
            "extra table audit: no record declares it (left as it is)",
        ])
    }

    @Test(arguments: OperationBackend.enabled)
    func typeNullabilityAndKeyMismatchesAreReported(_ backend: OperationBackend) throws {
        let db = try backend.makeDatabase()
        try db.execute("""
            CREATE TABLE members (id \(db.type(.integer)), name \(db.type(.text)), age \(db.type(.text)) NOT NULL, \
            email \(db.type(.text)) NOT NULL, score \(db.type(.real)) NOT NULL, active \(db.type(.boolean)) NOT NULL, \
            PRIMARY KEY (id, name))
            """)
        let diff = try compare(db, [Member.self])
        // Type and nullability become one alterColumn per column (a NOT NULL column's NULLs
        // take the declared default first); the key is only reported.
        let nameFix = ["execute UPDATE \"members\" SET \"name\" = ? WHERE \"name\" IS NULL",
                       "alter column \"members\".\"name\""]
        #expect(diff.operations.map(\.description)
                == (db.backend.keyColumnsMayBeNull ? nameFix : []) + ["alter column \"members\".\"age\"", "alter column \"members\".\"email\""])
        #expect(diff.differences.count == (db.backend.keyColumnsMayBeNull ? 4 : 3))
        #expect(diff.differences.contains { difference in
            if case .typeMismatch(_, "age", .integer, let live, ["Member"]) = difference { return live.lowercased() == "text" }
            return false
        })
        #expect(diff.differences.contains(.nullabilityMismatch(TableName("members"), column: "email", declaredNullable: true, records: ["Member"])))
        #expect(diff.differences.contains(.primaryKeyMismatch(TableName("members"), declared: ["id"], live: ["id", "name"], records: ["Member"])))
        let nameNullability = SchemaDifference.nullabilityMismatch(TableName("members"), column: "name", declaredNullable: false, records: ["Member"])
        #expect(diff.differences.contains(nameNullability) == db.backend.keyColumnsMayBeNull)
        #expect(diff.findings.contains { $0.hasPrefix("type mismatch members.age: declared by Member as integer") })
    }

    @Test(arguments: OperationBackend.enabled)
    func compatibleTypesAreNotMismatches(_ backend: OperationBackend) throws {
        let db = try backend.makeDatabase()
        let (integer, text, boolean) = db.backend.compatibleTypeSpellings
        try db.execute("""
            CREATE TABLE members (id \(integer) PRIMARY KEY, name \(text) NOT NULL, age \(integer) NOT NULL, \
            email \(text), score \(db.type(.real)) NOT NULL, active \(boolean) NOT NULL)
            """)
        #expect(try compare(db, [Member.self]).isEmpty)
    }

    @Test(arguments: OperationBackend.enabled)
    func aMissingKeyColumnIsAddedNullableWithANote(_ backend: OperationBackend) throws {
        let db = try backend.makeDatabase()
        try db.execute("CREATE TABLE notes (body \(db.type(.text)) NOT NULL DEFAULT '', created_at \(db.type(.timestamp)), payload \(db.type(.blob)))")
        try db.execute("INSERT INTO notes (body) VALUES ('x')")
        let diff = try compare(db, [Note.self])
        #expect(diff.differences == [.missingColumn(TableName("notes"), column: "id", type: .integer, records: ["Note"])])
        #expect(diff.notes.count == 1 && diff.notes[0].contains("nullable"))
        try db.migrate(diff.operations)
        #expect(try db.columns("notes")["id"]?.isNotNull == false)
        #expect(try compare(db, [Note.self]).differences == [
            .primaryKeyMismatch(TableName("notes"), declared: ["id"], live: [], records: ["Note"]),
        ])
    }

    /// Declared indexes are created with their table, and a declared index the table lacks
    /// is reported and created; indexes no record declares are left alone.
    @Test(arguments: OperationBackend.enabled)
    func declaredIndexesAreReportedAndCreated(_ backend: OperationBackend) throws {
        let db = try backend.makeDatabase()
        let badges = TableName("badges")
        let diff = try compare(db, [Badge.self])
        #expect(diff.differences == [
            .missingTable(badges, records: ["Badge"]),
            .missingIndex(badges, index: "badges_code", columns: ["code"], records: ["Badge"]),
            .missingIndex(badges, index: "badges \"owner\"", columns: ["owner", "code"], records: ["Badge"]),
        ])
        #expect(diff.findings[1] == "missing index badges_code on badges (code) (declared by Badge)")
        try db.migrate(diff.operations)
        #expect(try compare(db, [Badge.self]).isEmpty)
        #expect(try db.indexNames("badges").isSuperset(of: ["badges_code", "badges \"owner\""]))
        try db.execute("INSERT INTO badges (id, code) VALUES (1, 'gold')")
        #expect(throws: DatabaseError.self) { try db.execute("INSERT INTO badges (id, code) VALUES (2, 'gold')") }

        // An index dropped behind the records' back is reported and put back; one no record
        // declares is not an extra.
        try db.execute("DROP INDEX \(db.q("badges \"owner\""))")
        try db.execute("CREATE INDEX badges_extra ON badges (owner)")
        let missing = try compare(db, [Badge.self])
        #expect(missing.differences == [.missingIndex(badges, index: "badges \"owner\"", columns: ["owner", "code"], records: ["Badge"])])
        try db.migrate(missing.operations)
        #expect(try compare(db, [Badge.self]).isEmpty)
    }

    @Test func anInvalidDeclarationIsAnError() throws {
        let db = try SQLiteOperationDatabase()
        #expect {
            try compare(db, [BrokenIndex.self])
        } throws: { error in
            guard let error = error as? DriftlessError, error.code == .invalidRecord else { return false }
            return error.record == "BrokenIndex" && error.detail?.contains("\"x\"") == true
        }
    }

    @Test func operationsRenderForAutogenerate() throws {
        let db = try SQLiteOperationDatabase()
        try db.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '')")
        let diff = try compare(db, [User.self])
        #expect(try diff.operations.flatMap { try $0.sql(for: .sqlite) } == [
            #"ALTER TABLE "users" ADD COLUMN "email" TEXT"#,
            #"ALTER TABLE "users" ADD COLUMN "plan" TEXT NOT NULL DEFAULT 'free'"#,
        ])
    }
}
