import Driftless
import DriftlessMigrations
import Foundation

/// A migration for graph and runner tests: raw SQL up and down.
func sqlMigration(
    _ id: String, parents: [String] = [], message: String? = nil, labels: Set<String> = [], dependsOn: [String] = [],
    up: String = "", down: String = "", transactional: Bool = true
) -> Migration {
    Migration(
        revision: Revision(id: id, message: message ?? "revision \(id)", parents: parents, branchLabels: labels, dependsOn: dependsOn),
        upgrade: up.isEmpty ? [] : [.script(up)], downgrade: down.isEmpty ? [] : [.script(down)],
        transactional: transactional)
}

/// A small schema history used by several suites: a table, a column, an index, a second
/// table with a foreign key, and a data step with bound values (SQL both backends accept).
enum SampleHistory {
    static func migrations(_ dialect: any SQLDialect) -> [Migration] {
        let p1 = dialect.placeholder(1), p2 = dialect.placeholder(2), p3 = dialect.placeholder(3)
        return [
            sqlMigration("a1", message: "create users",
                         up: "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL)",
                         down: "DROP TABLE users"),
            sqlMigration("b2", parents: ["a1"], message: "add plan",
                         up: "ALTER TABLE users ADD COLUMN plan TEXT NOT NULL DEFAULT 'free'",
                         down: "ALTER TABLE users DROP COLUMN plan"),
            sqlMigration("c3", parents: ["b2"], message: "index names",
                         up: "CREATE INDEX users_name ON users (name)",
                         down: "DROP INDEX users_name"),
            sqlMigration("d4", parents: ["c3"], message: "orders",
                         up: "CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id), total REAL NOT NULL DEFAULT 0)",
                         down: "DROP TABLE orders"),
            Migration(
                revision: Revision(id: "e5", message: "seed admin", parents: ["d4"]),
                upgrade: [.execute(sql: "INSERT INTO users (id, name, plan) VALUES (\(p1), \(p2), \(p3))", arguments: [1, "O'Brien", "pro"])],
                downgrade: [.execute(sql: "DELETE FROM users WHERE id = \(p1)", arguments: [1])]),
        ]
    }
}

/// Runs a command and returns its exit status and output (stdout and stderr together or apart).
@discardableResult
func runProcess(_ executable: String, _ arguments: [String], input: String? = nil, environment: [String: String] = [:],
                directory: String? = nil) throws -> (status: Int32, output: String, error: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    process.environment = env
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    let inputPipe = Pipe()
    process.standardInput = input == nil ? FileHandle.nullDevice : inputPipe
    // A client that stops at the first error closes its input early: writing the rest must
    // fail with EPIPE, not kill the test process with SIGPIPE.
    signal(SIGPIPE, SIG_IGN)
    try process.run()
    // Input, stdout and stderr at once: a child that fills one pipe while we block on
    // another would deadlock.
    let group = DispatchGroup()
    if let input {
        DispatchQueue.global().async(group: group) {
            try? inputPipe.fileHandleForWriting.write(contentsOf: Data(input.utf8))
            try? inputPipe.fileHandleForWriting.close()
        }
    }
    nonisolated(unsafe) var errorData = Data()
    DispatchQueue.global().async(group: group) { errorData = error.fileHandleForReading.readDataToEndOfFile() }
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: outputData, as: UTF8.self), String(decoding: errorData, as: UTF8.self))
}

/// A history written with the Swift DSL, whose operations need SQLite table rebuilds
/// (a NOT NULL change on a table another table references, a dropped indexed column).
enum BuilderHistory {
    static let migrations: [Migration] = [
        Migration("k1", "create accounts and sessions") { up in
            up.createTable("accounts") {
                TableColumn("id", .integer, nullable: false, primaryKey: true)
                TableColumn("email", .text, nullable: false, default: "")
                TableColumn("age", .integer)
            }
            up.script("CREATE TABLE sessions (id INTEGER PRIMARY KEY, account_id INTEGER REFERENCES accounts (id))")
            up.script("INSERT INTO accounts (id, email) VALUES (1, 'a@example.com'); INSERT INTO sessions (id, account_id) VALUES (1, 1)")
        } downgrade: { down in
            down.dropTable("sessions")
            down.dropTable("accounts")
        },
        Migration("k2", "index email", parents: ["k1"]) { up in
            up.createIndex("accounts_email", on: "accounts", columns: ["email"], unique: true)
        } downgrade: { down in
            down.dropIndex("accounts_email", on: "accounts")
        },
        Migration("k3", "age required", parents: ["k2"]) { up in
            up.script("UPDATE accounts SET age = 0 WHERE age IS NULL")
            up.alterColumn("age", in: "accounts", nullable: false, default: .set(0))
        } downgrade: { down in
            down.alterColumn("age", in: "accounts", nullable: true, default: .drop)
        },
        Migration("k4", "rename email", parents: ["k3"]) { up in
            up.renameColumn("email", to: "mail", in: "accounts")
        } downgrade: { down in
            down.renameColumn("mail", to: "email", in: "accounts")
        },
        Migration("k5", "drop age, tag accounts", parents: ["k4"]) { up in
            up.dropColumn("age", from: "accounts")
            up.addColumn("tag", .text, to: "accounts", nullable: false, default: "none")
        } downgrade: { down in
            down.dropColumn("tag", from: "accounts")
            down.addColumn("age", .integer, to: "accounts", nullable: false, default: 0)
        },
    ]
}
