import Foundation
import Testing

/// The `driftless migrate` commands where Alembic users' habits meet them: relative targets,
/// one error convention, locations that are not SQLite files, read-only commands, history
/// marks, creation dates, `--rev-id`, `--splice`, checksums and `repair`, the lint catalogue.
@Suite("driftless migrate (CLI): Alembic habits")
struct CommandLineAlembicTests {
    typealias Session = CommandLineTests.Session

    /// Two revisions, both applied.
    private func upgraded() throws -> (Session, first: String, second: String) {
        let session = try Session()
        let first = try session.revision("create users", up: "CREATE TABLE users (id INTEGER PRIMARY KEY);", down: "DROP TABLE users;")
        let second = try session.revision("add name", up: "ALTER TABLE users ADD COLUMN name TEXT;",
                                          down: "ALTER TABLE users DROP COLUMN name;")
        #expect(try session.run("upgrade").status == 0)
        return (session, first, second)
    }

    @Test func relativeTargetsAsAlembicUsersTypeThem() throws {
        let (session, first, second) = try upgraded()
        #expect(try session.run("downgrade", "-1").status == 0)
        #expect(try session.run("current").output.hasPrefix(first))
        #expect(try session.run("upgrade", "+1").status == 0)
        #expect(try session.run("downgrade", "--", "-1").status == 0)
        #expect(try session.run("upgrade", "--", "+1").status == 0)
        let stamp = try session.run("stamp", "-1")
        #expect(stamp.status == 0, "\(stamp.error)")
        #expect(try session.run("current").output.hasPrefix(first))
        #expect(try session.run("stamp", "+1").status == 0)
        #expect(try session.run("current").output.hasPrefix(second))
        #expect(try session.run("downgrade", "-x").status == 64)
    }

    @Test func argumentErrorsAreOneErrorLineAndAPointerToHelp() throws {
        let session = try Session()
        for arguments in [["upgrade", "--bogus"], ["revision"], ["stamp"], ["history", "-r"]] {
            let result = try runProcess(session.tool, ["migrate"] + arguments, directory: session.folder.url.path)
            let lines = result.error.split(whereSeparator: \.isNewline)
            #expect(result.status == 64, "\(arguments)")
            #expect(lines.count == 2 && lines[0].hasPrefix("Error: ") && lines[1].contains("--help"), "\(arguments): \(result.error)")
        }
        // An error running a command is one line and status 1.
        let running = try session.run("upgrade", "nope")
        #expect(running.status == 1 && running.error.split(whereSeparator: \.isNewline).count == 1)
    }

    @Test func checkWithoutRecordsSaysDriftWasNotChecked() throws {
        let (session, _, _) = try upgraded()
        let check = try session.run("check")
        #expect(check.status == 0)
        #expect(check.output.contains("drift NOT checked") && check.output.contains("records"))
    }

    @Test func keywordStringsAndThePGEnvironmentNamePostgreSQL() throws {
        let session = try Session()
        let folder = session.folder.url.path
        let keywords = try runProcess(session.tool, ["migrate", "current", "--database", "dbname=dl host=/nonexistent-driftless"],
                                      environment: ["DATABASE_URL": ""], directory: folder)
        #expect(keywords.status == 1)
        #expect(!FileManager.default.fileExists(atPath: session.folder.path("dbname=dl host=/nonexistent-driftless")))
        #expect(!keywords.error.contains("SQLite"))
        let environment = try runProcess(session.tool, ["migrate", "current"],
                                         environment: ["DATABASE_URL": "", "PGHOST": "/nonexistent-driftless", "PGDATABASE": "dl"],
                                         directory: folder)
        #expect(environment.status == 1)
        #expect(!environment.error.contains("no database"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") }.isEmpty)
    }

    @Test func readOnlyCommandsNeverCreateADatabase() throws {
        let session = try Session()
        _ = try session.revision("one", up: "", down: "")
        let typo = session.folder.path("tpyo.sqlite")
        for command in [["current"], ["history"], ["check"], ["downgrade", "base"], ["repair"]] {
            let result = try runProcess(session.tool, ["migrate"] + command + ["--database", "sqlite:" + typo],
                                        directory: session.folder.url.path)
            #expect(result.status == 1 && result.error.contains("no SQLite database"), "\(command): \(result.error)")
            #expect(!FileManager.default.fileExists(atPath: typo), "\(command) created \(typo)")
        }
    }

    @Test func historyMarksOnlyWhatAppears() throws {
        let session = try Session()
        _ = try session.revision("one", up: "", down: "")
        try session.run("stamp", "base")  // creates the database, nothing applied
        let history = try session.run("history")
        let header = try #require(history.output.split(separator: "\n").first)
        #expect(header.split(separator: " ").first == "db")
        #expect(!history.output.contains("@ current") && !history.output.contains("* applied"))
        #expect(history.output.contains("nothing listed is applied"))
        try session.run("upgrade")
        let applied = try session.run("history")
        #expect(applied.output.contains("@ current") && !applied.output.contains("* applied"))
    }

    @Test func creationDatesRevIDAndSplice() throws {
        let session = try Session()
        let result = try session.run("revision", "-m", "chosen id", "--rev-id", "first_one")
        #expect(result.status == 0 && result.output.contains("first_one_chosen_id.sql"), "\(result)")
        _ = try session.revision("second", up: "", down: "")
        #expect(try session.run("upgrade").status == 0)
        let history = try session.run("history", "--verbose")
        let year = Calendar(identifier: .gregorian).component(.year, from: Date())
        #expect(history.output.contains("created") && history.output.contains("\(year)-"))
        #expect(try session.run("show", "first_one").output.contains("Created:       \(year)-"))
        let branch = try session.run("revision", "-m", "branch", "--head", "first_one")
        #expect(branch.status == 1 && branch.error.contains("--splice"))
        #expect(try session.run("revision", "-m", "branch", "--head", "first_one", "--splice").status == 0)
        #expect(try session.run("revision", "-m", "again", "--rev-id", "first_one").status == 1)
    }

    @Test func historyRanges() throws {
        let (session, first, second) = try upgraded()
        let range = try session.run("history", "-r", "\(second):")
        #expect(range.output.contains(second) && !range.output.contains("<base>"))  // first's row has <base> as parents
        let relative = try session.run("history", "-r", "-1:")
        #expect(relative.status == 0 && relative.output.contains(second) && relative.output.contains(first), "\(relative)")
        let upToFirst = try session.run("history", "-r", ":\(first)")
        #expect(upToFirst.output.contains(first) && !upToFirst.output.contains(second))
    }

    @Test func changedAppliedFilesFailUntilRepaired() throws {
        let (session, first, _) = try upgraded()
        let folder = session.folder.url.appendingPathComponent("migrations").path
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: folder).first { $0.hasPrefix(first) })
        let path = folder + "/" + file
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacingOccurrences(of: "(id INTEGER PRIMARY KEY)", with: "(id INTEGER PRIMARY KEY, extra TEXT)")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let check = try session.run("check")
        #expect(check.status == 1 && check.output.contains(first) && check.output.contains("repair"))
        let upgrade = try session.run("upgrade")
        #expect(upgrade.status == 1 && upgrade.error.contains(first))
        let repair = try session.run("repair")
        #expect(repair.status == 0 && repair.output.contains("Accepted the change to \(first)"))
        #expect(try session.run("check").status == 0)
    }

    @Test func aFailingStatementIsNamedAtItsLine() throws {
        let session = try Session()
        _ = try session.revision("broken", up: "CREATE TABLE a (id INTEGER);\nINSERT INTO nowhere VALUES (1);\nCREATE TABLE b (id INTEGER);",
                                 down: "")
        let result = try session.run("upgrade")
        #expect(result.status == 1)
        #expect(result.error.contains("_broken.sql:") && result.error.contains("[SQL: INSERT INTO nowhere VALUES (1)]"))
        #expect(!result.error.contains("CREATE TABLE b"))
    }

    @Test func lintListsTheCatalogue() throws {
        let session = try Session()
        let result = try session.run("lint", "--list-rules")
        #expect(result.status == 0)
        let ids = result.output.split(separator: "\n").filter { !$0.hasPrefix(" ") && $0.contains("  (") }
        #expect(ids.count >= 25)
        #expect(result.output.components(separatedBy: "    Instead: ").count - 1 == ids.count)
        for rule in ["drop-cascade", "set-not-null", "prefer-jsonb", "sqlite-table-rebuild", "unverifiable-statement"] {
            #expect(result.output.contains(rule))
        }
    }
}
