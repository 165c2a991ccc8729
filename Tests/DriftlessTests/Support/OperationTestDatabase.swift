import Driftless
import DriftlessMigrations
import DriftlessPostgres
import DriftlessPostgresMigrations
import DriftlessSQLite
import DriftlessSQLiteMigrations
import Testing

/// A database the migration tests (operations, lint, diff) run against, whatever its backend.
protocol OperationTestDatabase {
    var dialect: any MigrationDialect { get }
    /// The backend's facts (``MigrationTestDatabase``).
    var backend: any MigrationTestDatabase.Type { get }
    /// Runs `body` with a migration connection outside any transaction.
    func withConnection<T>(_ body: (any MigrationConnection) throws -> T) throws -> T
    /// Applies operations the way the migration runner does: on SQLite with
    /// `PRAGMA foreign_keys` off outside the transaction and `foreign_key_check` before commit;
    /// in one transaction unless `transactional` is false.
    func migrate(_ operations: [SchemaOperation], transactional: Bool) throws
}

extension OperationTestDatabase {
    func migrate(_ operations: [SchemaOperation]) throws { try migrate(operations, transactional: true) }

    func migrate(_ build: (inout MigrationBuilder) -> Void) throws {
        var builder = MigrationBuilder()
        build(&builder)
        try migrate(builder.operations)
    }

    /// Runs raw SQL (set-up behind the operations' back).
    func execute(_ sql: String, _ arguments: DatabaseValue...) throws {
        try withConnection { try $0.execute(sql, arguments: arguments) }
    }

    func query(_ sql: String, _ arguments: DatabaseValue...) throws -> [[DatabaseValue]] {
        try withConnection { try $0.query(sql, arguments: arguments) }
    }

    func reflect(_ table: String) throws -> TableSchema? {
        try withConnection { try $0.reflectTable(TableName(table)) }
    }

    /// The reflected columns of a table by name (empty when it does not exist).
    func columns(_ table: String) throws -> [String: TableSchema.Column] {
        Dictionary(uniqueKeysWithValues: (try reflect(table)?.columns ?? []).map { ($0.name, $0) })
    }

    /// The names of the indexes created on a table (not the ones backing constraints on SQLite).
    func indexNames(_ table: String) throws -> Set<String> {
        Set(try query(backend.createdIndexNamesSQL, .text(table)).compactMap { row -> String? in
            if case .text(let name) = row[0] { return name }
            return nil
        })
    }

    /// `"name"` quoted for this dialect.
    func q(_ identifier: String) -> String { dialect.quote(identifier) }

    /// The placeholder of the n-th parameter.
    func p(_ position: Int) -> String { dialect.placeholder(position) }

    /// The SQL type of a column type.
    func type(_ type: ColumnType) -> String { dialect.typeName(type) }
}

/// A fresh database of the test's own, driven the way the migration runner drives it: the
/// production ``LiveMigrationConnection`` and the backend's own migration transaction
/// (SQLite: foreign keys off outside it, `BEGIN IMMEDIATE`, `foreign_key_check` before
/// commit).
struct LiveOperationDatabase<Fixture: MigrationFixture>: OperationTestDatabase {
    let fixture: Fixture

    init() throws { fixture = try Fixture(drift: DriftConfiguration(logger: LogCapture.silentLogger)) }

    var database: Fixture.Database { fixture.database }
    var dialect: any MigrationDialect { Fixture.Database.migrationDialect }
    var backend: any MigrationTestDatabase.Type { Fixture.Database.self }

    func withConnection<T>(_ body: (any MigrationConnection) throws -> T) throws -> T {
        try database.write { try body(LiveMigrationConnection($0)) }
    }

    func migrate(_ operations: [SchemaOperation], transactional: Bool) throws {
        let database = database
        let configuration = MigratorConfiguration(logger: LogCapture.silentLogger)
        try database.withMigrationSession(configuration) { connection in
            let live = LiveMigrationConnection(connection)
            guard transactional else {
                for operation in operations { try operation.apply(on: live, transactional: false) }
                return
            }
            try database.beginMigrationTransaction(on: connection, configuration)
            do {
                for operation in operations { try operation.apply(on: live) }
                try database.verifyMigrationTransaction(on: connection, revision: "test")
                try database.endMigrationTransaction(on: connection, commit: true)
            } catch {
                try? database.endMigrationTransaction(on: connection, commit: false)
                throw error
            }
        }
    }
}

typealias SQLiteOperationDatabase = LiveOperationDatabase<SQLiteFixture>
typealias PostgresOperationDatabase = LiveOperationDatabase<PostgresFixture>

/// The backends the generic migration tests run on.
enum OperationBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    /// The backends available in this run: PostgreSQL when a server is (or must be) there.
    static var enabled: [OperationBackend] { TestPostgres.isEnabled ? allCases : [.sqlite] }

    func makeDatabase() throws -> any OperationTestDatabase {
        switch self {
        case .sqlite: try SQLiteOperationDatabase()
        case .postgres: try PostgresOperationDatabase()
        }
    }

    var testDescription: String { rawValue }
}
