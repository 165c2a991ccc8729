import Driftless
import DriftlessMigrations
import DriftlessSQLite
import DriftlessSQLiteMigrations
import Foundation
import Testing

/// The `driftless` tool end to end, as a separate process on a SQLite file: exit codes,
/// messages, files it writes.
@Suite("driftless migrate (CLI)")
struct CommandLineTests {
    /// Runs `driftless migrate ...` in a folder; `DATABASE_URL` points at its app.sqlite.
    struct Session {
        let folder = TemporaryDirectory()
        let tool: String

        init() throws {
            tool = try builtExecutable("driftless")
        }

        var databasePath: String { folder.path("app.sqlite") }

        @discardableResult
        func run(_ arguments: String..., input: String? = nil) throws -> (status: Int32, output: String, error: String) {
            let result = try runProcess(tool, ["migrate"] + arguments, input: input,
                                        environment: ["DATABASE_URL": "sqlite:" + databasePath], directory: folder.url.path)
            // Whatever happens, never a crash or a stack trace.
            #expect(!result.error.contains("Fatal error") && !result.error.contains("Stack dump") && result.status < 128,
                    "driftless migrate \(arguments.joined(separator: " ")) crashed: \(result.error)")
            return result
        }

        /// `revision -m`, then fills the file's sections; returns the new id.
        func revision(_ message: String, up: String, down: String, extra: [String] = []) throws -> String {
            let result = try runProcess(tool, ["migrate", "revision", "-m", message] + extra, directory: folder.url.path)
            #expect(result.status == 0, "revision failed: \(result.error)")
            let path = try #require(result.output.split(whereSeparator: \.isWhitespace).dropFirst().first.map(String.init))
            let file = folder.url.appendingPathComponent(path).path
            let text = try String(contentsOfFile: file, encoding: .utf8)
                .replacingOccurrences(of: "-- upgrade\n", with: "-- upgrade\n\(up)\n")
                .replacingOccurrences(of: "-- downgrade\n", with: "-- downgrade\n\(down)\n")
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            return try #require(URL(fileURLWithPath: file).lastPathComponent.split(separator: "_").first.map(String.init))
        }
    }

    @Test func aWholeLifecycle() throws {
        let session = try Session()
        let first = try session.revision("create users", up: "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);",
                                         down: "DROP TABLE users;")
        let second = try session.revision("add plan", up: "ALTER TABLE users ADD COLUMN plan TEXT NOT NULL DEFAULT 'free';",
                                          down: "ALTER TABLE users DROP COLUMN plan;")

        // check only reads: it refuses a database that does not exist; stamp base creates it.
        #expect(try session.run("check").error.contains("no SQLite database"))
        try session.run("stamp", "base")
        let pending = try session.run("check")
        #expect(pending.status == 1)
        #expect(pending.output.contains("FAIL 2 pending migration(s): \(first), \(second)"))

        let upgrade = try session.run("upgrade")
        #expect(upgrade.status == 0)
        #expect(upgrade.output.contains("[1/2] Running upgrade <base> -> \(first), create users"))
        #expect(upgrade.output.contains("[2/2] Running upgrade \(first) -> \(second), add plan"))
        #expect(try session.run("current").output.hasPrefix("\(second) (head)  add plan"))
        let ok = try session.run("check")
        #expect(ok.status == 0 && ok.output.hasPrefix("OK: one head (\(second))"))
        #expect(try session.run("history").output.contains("@   \(second)"))

        // A second branch from the first revision: two heads.
        let branch = try session.revision("add email", up: "ALTER TABLE users ADD COLUMN email TEXT;",
                                          down: "ALTER TABLE users DROP COLUMN email;", extra: ["--head", first, "--splice"])
        let heads = try session.run("heads")
        #expect(heads.output.contains(second) && heads.output.contains(branch) && heads.output.contains("2 heads"))
        let ambiguous = try session.run("upgrade", "head")
        #expect(ambiguous.status != 0)
        #expect(ambiguous.error.contains("several heads") && ambiguous.error.contains("merge"))
        let twoHeads = try session.run("check")
        #expect(twoHeads.status == 1 && twoHeads.output.contains("FAIL several heads"))
        #expect(try session.run("branches").output.contains("\(first) (branchpoint)"))

        let merge = try session.run("merge", "heads", "-m", "merge email and plan")
        #expect(merge.status == 0 && merge.output.contains("merges"))
        let merged = try session.run("upgrade")
        #expect(merged.status == 0)
        #expect(merged.output.contains("Running upgrade (\(second), \(branch)) -> ")
                    || merged.output.contains("Running upgrade (\(branch), \(second)) -> "), "\(merged.output)")
        let history = try session.run("history").output.split(separator: "\n")
        #expect(history.first?.split(separator: " ") == ["db", "revision", "parents", "marks", "message"])
        #expect(history.contains { $0.hasPrefix("@ ") && $0.contains("current, head, mergepoint") }, "\(history)")
        #expect(history.contains { $0.hasPrefix("* ") && $0.contains(first) && $0.contains("base, branchpoint") }, "\(history)")
        #expect(try session.run("check").status == 0)

        // -1 from a merge is ambiguous; naming the revision works.
        let fromMerge = try session.run("downgrade", "-1")
        #expect(fromMerge.status != 0 && fromMerge.error.contains("is a merge of"))
        #expect(try session.run("downgrade", second).status == 0)
        #expect(try session.run("current").output.contains(second))
        #expect(try session.run("downgrade", "base").status == 0)
        #expect(try session.run("current").output == "base (nothing applied)\n")

        // Offline: the script through sqlite3 gives the schema the online upgrade gives.
        let script = try session.run("upgrade", "--sql")
        #expect(script.status == 0 && script.output.contains("BEGIN IMMEDIATE;"))
        #expect(try session.run("upgrade").status == 0)
        let offlinePath = session.folder.path("offline.sqlite")
        #expect(try sqlite3(offlinePath, script.output).status == 0)
        #expect(try SQLiteDatabase(path: offlinePath).schemaDump() == SQLiteDatabase(path: session.databasePath).schemaDump())

        // Stamp, and purge of a revision this program does not know.
        try SQLiteDatabase(path: session.databasePath).blocking.execute("INSERT INTO driftless_version VALUES ('f00dfeed0000')")
        let ahead = try session.run("upgrade")
        #expect(ahead.status != 0 && ahead.error.contains("f00dfeed0000") && ahead.error.contains("newer release"))
        let purged = try session.run("stamp", "heads", "--purge")
        #expect(purged.status == 0 && purged.output.contains("f00dfeed0000"))
        #expect(try session.run("check").status == 0)
    }

    /// Every mistake is one `Error: ...` line naming what is wrong, and a non-zero exit.
    @Test func errorsAreOneLineMessagesWithNonZeroExits() throws {
        let session = try Session()
        func expectError(_ arguments: String..., containing text: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
            let result = try runProcess(session.tool, ["migrate"] + arguments, directory: session.folder.url.path)
            let lines = result.error.split(separator: "\n")
            #expect(result.status == 1, "\(arguments): \(result)", sourceLocation: sourceLocation)
            #expect(lines.count == 1 && lines[0].hasPrefix("Error: ") && lines[0].contains(text),
                    "\(arguments): \(result.error)", sourceLocation: sourceLocation)
        }
        let database = session.databasePath
        try expectError("current", containing: "no database: pass --database URL (or a libpq keyword string), set DATABASE_URL")
        try expectError("current", "--database", "mysql://localhost/app", containing: "unsupported database URL scheme 'mysql'")
        try expectError("current", "--database", "sqlite:", containing: "sqlite: names no file")
        try expectError("current", "--database", session.folder.path("missing/app.sqlite"),
                        containing: "there is no folder \(session.folder.path("missing"))")
        // libpq's message spans two lines; the command prints it as one.
        try expectError("current", "--database", "postgres://nobody@/none?host=\(session.folder.path("no-socket"))&port=1",
                        containing: "cannot connect")
        try expectError("upgrade", "nope", "--database", database, containing: "no revision matches \"nope\"")
        try expectError("upgrade", "--directory", "elsewhere", "--database", database,
                        containing: "there is no migrations folder elsewhere (--directory)")
        try expectError("downgrade", "base", "--sql", "--dialect", "sqlite", containing: "start:end")
        try expectError("upgrade", "--sql", containing: "--sql writes SQL for one database: pass --dialect")

        // Offline SQL connects to nothing: a server that is not there does not matter.
        let offline = try runProcess(session.tool, ["migrate", "upgrade", "--sql", "--database", "postgres://nobody@127.0.0.1:1/none"],
                                     directory: session.folder.url.path)
        #expect(offline.status == 0 && offline.output.contains("-- Driftless: upgrade base:heads (postgres)"), "\(offline)")

        let badTimeout = try session.run("current", "--lock-timeout", "1e300")
        #expect(badTimeout.status != 0 && badTimeout.error.contains("--lock-timeout takes seconds from 0 to 86400"))

        try FileManager.default.createDirectory(atPath: session.folder.path("migrations"), withIntermediateDirectories: true)
        try "-- revision: a1\n-- parents:\nSELECT 1;\n".write(toFile: session.folder.path("migrations/a1_bad.sql"), atomically: true, encoding: .utf8)
        try expectError("heads", containing: "migrations/a1_bad.sql:3: SQL before \"-- upgrade\"")
        try "-- revision: a1\n-- parents:\n-- upgrade\nCREATE TABLE x (\n-- downgrade\n".write(
            toFile: session.folder.path("migrations/a1_bad.sql"), atomically: true, encoding: .utf8)
        try expectError("upgrade", "--database", database, containing: "upgrade of a1 failed")
    }

    /// A long migration shows progress while it runs: a reminder every five seconds.
    @Test func longMigrationsShowProgress() throws {
        let folder = TemporaryDirectory()
        let app = try builtExecutable("DriftlessTestApp")
        let result = try runProcess(app, ["migrate", "upgrade", "--database", folder.path("app.sqlite")],
                                    environment: ["DRIFTLESS_TEST_SLOW_SECONDS": "7"], directory: folder.url.path)
        #expect(result.status == 0, "\(result.error)")
        let lines = result.output.split(separator: "\n")
        let started = try #require(lines.firstIndex { $0.hasPrefix("[2/3] Running upgrade app001 -> app002") }, "\(lines)")
        #expect(lines[started + 1].contains("... app002 still running ("), "\(lines)")
        #expect(lines[started + 2].hasPrefix("      done app002 in 7"), "\(lines)")
    }

    @Test func lintFailsOnUnacknowledgedFindings() throws {
        let session = try Session()
        _ = try session.revision("create users", up: "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);", down: "DROP TABLE users;")
        let drop = try session.revision("drop email", up: "ALTER TABLE users DROP COLUMN email;", down: "ALTER TABLE users ADD COLUMN email TEXT;")
        let failing = try session.run("lint")
        #expect(failing.status == 1)
        #expect(failing.output.contains("\(drop) [drop-column]") && failing.output.contains("Instead:"))
        // Acknowledging the rule in the file's header makes it pass, still reported.
        let file = try #require(FileManager.default.contentsOfDirectory(atPath: session.folder.path("migrations")).first { $0.hasPrefix(drop) })
        let path = session.folder.path("migrations/\(file)")
        let text = try String(contentsOfFile: path, encoding: .utf8)
            .replacingOccurrences(of: "-- transactional: true", with: "-- transactional: true\n-- acknowledge: drop-column")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let passing = try session.run("lint")
        #expect(passing.status == 0 && passing.output.contains("(acknowledged)"))
    }
}
