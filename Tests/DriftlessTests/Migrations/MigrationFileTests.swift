import Driftless
import DriftlessMigrations
import Foundation
import Testing

@Suite("SQL migration files")
struct MigrationFileTests {
    static let sample = """
        -- revision: ae1027a6acf4
        -- parents: 1975ea83b712, 27c6a30d7c24
        -- message: add the plan column
        -- branch-labels: billing
        -- depends-on: 0badc0ffee00
        -- transactional: false
        -- acknowledge: drop-column, rename-column
        -- a plain comment in the header is fine

        -- upgrade
        CREATE INDEX CONCURRENTLY users_plan ON users (plan);
        UPDATE users SET note = 'a; b' WHERE id = 1;

        -- downgrade
        DROP INDEX CONCURRENTLY users_plan;
        """

    @Test func parsesEveryHeader() throws {
        let file = try MigrationFile(parsing: Self.sample, path: "m.sql")
        #expect(file.revision == Revision(id: "ae1027a6acf4", message: "add the plan column",
                                          parents: ["1975ea83b712", "27c6a30d7c24"], branchLabels: ["billing"],
                                          dependsOn: ["0badc0ffee00"]))
        #expect(file.isTransactional == false)
        #expect(file.acknowledged == [.dropColumn, .renameColumn])
        #expect(file.upgradeSQL == "CREATE INDEX CONCURRENTLY users_plan ON users (plan);\nUPDATE users SET note = 'a; b' WHERE id = 1;")
        #expect(file.downgradeSQL == "DROP INDEX CONCURRENTLY users_plan;")
    }

    @Test func writeThenParseRoundTrips() throws {
        let file = try MigrationFile(parsing: Self.sample, path: "m.sql")
        let again = try MigrationFile(parsing: file.text, path: "again.sql")
        #expect(again == file)
        #expect(file.fileName == "ae1027a6acf4_add_the_plan_column.sql")
        let root = MigrationFile(revision: Revision(id: "root01", message: "first"), upgradeSQL: "", downgradeSQL: "")
        #expect(try MigrationFile(parsing: root.text, path: "r.sql") == root)
    }

    /// Outside a transaction each statement runs on its own (PostgreSQL would otherwise run
    /// the script as one implicit transaction, where CONCURRENTLY fails): the file's section
    /// stays one script, and applying it sends one statement at a time.
    @Test func nonTransactionalFilesRunOneStatementAtATime() throws {
        let migration = try MigrationFile(parsing: Self.sample, path: "m.sql").migration(source: "m.sql")
        #expect(migration.isTransactional == false)
        #expect(migration.acknowledged == [.dropColumn, .renameColumn])
        #expect(migration.source == "m.sql")
        let recorder = StatementRecorder()
        for operation in migration.upgrade { try operation.apply(on: recorder, transactional: false) }
        #expect(recorder.scripts == ["CREATE INDEX CONCURRENTLY users_plan ON users (plan)", "UPDATE users SET note = 'a; b' WHERE id = 1"])
        let together = StatementRecorder()
        for operation in migration.upgrade { try operation.apply(on: together, transactional: true) }
        #expect(together.scripts.count == 1)
    }

    /// A connection that only records the scripts it is given.
    final class StatementRecorder: MigrationConnection {
        var scripts: [String] = []
        var dialect: any MigrationDialect { .postgres }
        func execute(_ sql: String, arguments: [DatabaseValue]) throws { scripts.append(sql) }
        func executeScript(_ sql: String) throws { scripts.append(sql) }
        func query(_ sql: String, arguments: [DatabaseValue]) throws -> [[DatabaseValue]] { [] }
        func reflectTable(_ table: TableName) throws -> TableSchema? { nil }
    }

    @Test("errors name the line", arguments: [
        ("-- parents:\n-- upgrade\n-- downgrade\n", 1, "no \"-- revision: <id>\" header"),
        ("-- revision: a1\n-- upgrade\n-- downgrade\n", 1, "no \"-- parents:\" header"),
        ("-- revision: a1\n-- parents:\n-- parent: x\n-- upgrade\n-- downgrade\n", 3, "unknown header \"parent\""),
        ("-- revision: a1\n-- parents:\nCREATE TABLE x (id int);\n-- upgrade\n-- downgrade\n", 3, "SQL before \"-- upgrade\""),
        ("-- revision: a1\n-- parents:\n-- upgrade\nSELECT 1;\n", 4, "no \"-- downgrade\" section"),
        ("-- revision: a1\n-- parents:\n-- downgrade\n-- upgrade\n", 3, "\"-- downgrade\" before \"-- upgrade\""),
        ("-- revision: a1\n-- parents:\n-- upgrade\n-- downgrade\n-- upgrade\n", 5, "a second \"-- upgrade\" section (the first is on line 3)"),
        ("-- revision: a1\n-- parents:\n-- transactional: maybe\n-- upgrade\n-- downgrade\n", 3, "transactional must be true or false"),
        ("-- revision: a1\n-- parents:\n-- acknowledge: drop-everything\n-- upgrade\n-- downgrade\n", 3, "unknown lint rule \"drop-everything\""),
        ("-- revision: a-1\n-- parents:\n-- upgrade\n-- downgrade\n", 1, "reserved for targets"),
        ("-- revision: a1\n-- revision: a2\n-- parents:\n-- upgrade\n-- downgrade\n", 2, "given twice"),
    ])
    func errorsNameTheLine(text: String, line: Int, problem: String) {
        #expect {
            try MigrationFile(parsing: text, path: "bad.sql")
        } throws: { error in
            guard let error = error as? MigrationError, error.code == .invalidMigrationFile else { return false }
            return error.path == "bad.sql" && error.line == line && error.detail?.contains(problem) == true
                && "\(error)".hasPrefix("bad.sql:\(line): ")
        }
    }

    @Test func mergeRevisionNamesEveryHead() throws {
        let graph = try RevisionGraph([sqlMigration("root"), sqlMigration("left", parents: ["root"]), sqlMigration("right", parents: ["root"])])
        let merge = try MigrationDirectory.mergeRevision(in: graph, of: ["heads"], message: "merge")
        #expect(merge.revision.parents == ["left", "right"])
        #expect(throws: MigrationError.self) { try MigrationDirectory.mergeRevision(in: graph, of: ["root", "left"], message: "m") }
        #expect(throws: MigrationError.self) { try MigrationDirectory.mergeRevision(in: graph, of: ["left"], message: "m") }
        #expect {
            try MigrationDirectory.newRevision(in: graph, message: "next")
        } throws: { error in
            (error as? MigrationError)?.code == .multipleHeads
        }
        #expect(try MigrationDirectory.newRevision(in: graph, message: "next", head: "heads").revision.parents == ["left", "right"])
        #expect(try MigrationDirectory.newRevision(in: graph, message: "new root", head: "base").revision.parents == [])
    }

    /// Issue 8: files written on Windows (CRLF), by old Mac tools (CR) or with a byte-order
    /// mark read as the same migration; they were rejected with "the revision id contains -".
    @Test(arguments: ["\r\n", "\r"])
    func lineEndsOfEverySystemParseAlike(_ lineEnd: String) throws {
        let expected = try MigrationFile(parsing: Self.sample, path: "m.sql")
        let text = Self.sample.replacingOccurrences(of: "\n", with: lineEnd)
        #expect(try MigrationFile(parsing: text, path: "m.sql") == expected)
        #expect(try MigrationFile(parsing: "\u{FEFF}" + text, path: "m.sql") == expected)
        // An error still names the right line.
        #expect {
            try MigrationFile(parsing: ["-- revision: a1", "-- parents:", "-- nonsense: x", "-- upgrade", "-- downgrade"]
                .joined(separator: lineEnd), path: "bad.sql")
        } throws: { error in
            (error as? MigrationError)?.line == 3
        }
    }

    @Test func aFolderReadsFilesWithAnyLineEnds() throws {
        let folder = MigrationDirectory(path: TemporaryDirectory().path("migrations"))
        let lf = MigrationFile(revision: Revision(id: "a1", message: "first"), upgradeSQL: "SELECT 1;", downgradeSQL: "")
        let crlf = MigrationFile(revision: Revision(id: "b2", message: "second", parents: ["a1"]),
                                 upgradeSQL: "SELECT 2;\nSELECT 3;", downgradeSQL: "SELECT 4;")
        try folder.write(lf)
        let path = try folder.write(crlf)
        try Data(("\u{FEFF}" + crlf.text.replacingOccurrences(of: "\n", with: "\r\n")).utf8).write(to: URL(fileURLWithPath: path))
        let graph = try RevisionGraph(try folder.migrations())
        #expect(graph.heads == ["b2"])
        #expect(try folder.files().map(\.file) == [lf, crlf])
    }

    /// Whatever a message holds, writing a file and reading it back gives the same revision
    /// and the same SQL: a line end in the message cannot start a section or a header.
    @Test func hostileMessagesCannotChangeAFile() throws {
        var random = PropertyRandom(seed: 0xF11E)
        for message in HostileText.messages(2_000, using: &random) + ["x\n-- upgrade\nDROP TABLE users;", "x\r-- downgrade\rDROP TABLE users;"] {
            let file = MigrationFile(revision: Revision(id: "a1", message: message, parents: ["r0"]),
                                     upgradeSQL: "SELECT 1;", downgradeSQL: "SELECT 2;")
            let parsed = try MigrationFile(parsing: file.text, path: "m.sql")
            #expect(parsed.revision.id == "a1" && parsed.revision.parents == ["r0"], "\(message.debugDescription)")
            #expect(parsed.upgradeSQL == "SELECT 1;" && parsed.downgradeSQL == "SELECT 2;", "\(message.debugDescription)")
            #expect(!parsed.revision.message.unicodeScalars.contains { $0.properties.generalCategory == .control })
        }
    }
}
