import Driftless
import DriftlessSQLite
import Foundation
import Logging

/// A database the conformance tests can drive: the repository API plus raw SQL for
/// setting up old schemas behind the repository's back.
protocol TestDatabase: DatabaseDriver {
    /// Runs SQL directly, as a migration or another app version would.
    func executeRaw(_ sql: String) throws
    /// The SQL type for a column of this type in hand-written DDL.
    func sqlType(_ type: ColumnType) -> String
}

extension SQLiteDatabase: TestDatabase {
    func executeRaw(_ sql: String) throws { try execute(sql) }
    func sqlType(_ type: ColumnType) -> String { SQLDialect.sqlite.typeName(type) }
}

/// A fresh folder for one test, inside a folder of the test process that is removed when
/// the process exits (databases may outlive the test's own values, so nothing is removed
/// earlier).
struct TemporaryDirectory: Sendable {
    private static let root: URL = {
        let root = FileManager.default.temporaryDirectory
            .appendingPathComponent("driftless-tests-\(ProcessInfo.processInfo.processIdentifier)")
        atexit { try? FileManager.default.removeItem(at: TemporaryDirectory.root) }
        return root
    }()

    let url: URL

    init() {
        url = Self.root.appendingPathComponent(UUID().uuidString)
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

/// A SQLite file database in its own temporary folder.
struct SQLiteFixture {
    let directory = TemporaryDirectory()
    let database: SQLiteDatabase

    init(drift: DriftConfiguration = DriftConfiguration(logger: LogCapture.silentLogger)) throws {
        database = try SQLiteDatabase(path: directory.path("test.sqlite"),
                                      configuration: SQLiteConfiguration(drift: drift))
    }

    /// A second, independent handle on the same file: another process, as far as the first knows.
    func openAnother(drift: DriftConfiguration = DriftConfiguration(logger: LogCapture.silentLogger)) throws -> SQLiteDatabase {
        try SQLiteDatabase(path: database.path, configuration: SQLiteConfiguration(drift: drift))
    }
}
