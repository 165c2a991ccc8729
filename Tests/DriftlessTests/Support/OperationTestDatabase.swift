import Driftless
import DriftlessMigrations
import DriftlessPostgres
import DriftlessSQLite
import Testing

/// A database the migration tests (operations, lint, diff) run against, whatever its backend.
protocol OperationTestDatabase {
    var dialect: SQLDialect { get }
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
        let sql = dialect.name == "sqlite"
            ? "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL"
            : """
                SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
                WHERE t.relname = $1 AND t.relnamespace = current_schema()::regnamespace
                AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
                """
        return Set(try query(sql, .text(table)).compactMap { row -> String? in
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

/// The SQLite side: a file database and its writing connection.
struct SQLiteOperationDatabase: OperationTestDatabase {
    let fixture: SQLiteFixture

    init() throws { fixture = try SQLiteFixture() }

    var database: SQLiteDatabase { fixture.database }
    var dialect: SQLDialect { .sqlite }

    func withConnection<T>(_ body: (any MigrationConnection) throws -> T) throws -> T {
        try database.write { try body(SQLiteMigrationConnection(connection: $0)) }
    }

    func migrate(_ operations: [SchemaOperation], transactional: Bool) throws {
        try database.write { connection in
            let migration = SQLiteMigrationConnection(connection: connection)
            try connection.execute("PRAGMA foreign_keys = OFF")
            defer { try? connection.execute("PRAGMA foreign_keys = ON") }
            try database.inTransaction(on: connection) {
                for operation in operations { try operation.apply(on: migration) }
                let violations = try migration.query("PRAGMA foreign_key_check", arguments: [])
                if !violations.isEmpty { throw ForeignKeyViolations(rows: violations) }
            }
        }
    }
}

/// The PostgreSQL side: a database of the test's own.
struct PostgresOperationDatabase: OperationTestDatabase {
    let fixture: PostgresFixture

    init() throws { fixture = try PostgresFixture() }

    var database: PostgresDatabase { fixture.database }
    var dialect: SQLDialect { .postgres }

    func withConnection<T>(_ body: (any MigrationConnection) throws -> T) throws -> T {
        try database.write { try body(PostgresMigrationConnection(connection: $0)) }
    }

    func migrate(_ operations: [SchemaOperation], transactional: Bool) throws {
        try database.write { connection in
            let migration = PostgresMigrationConnection(connection: connection)
            if transactional {
                try database.inTransaction(on: connection) {
                    for operation in operations { try operation.apply(on: migration) }
                }
            } else {
                for operation in operations { try operation.apply(on: migration) }
            }
        }
    }
}

struct ForeignKeyViolations: Error {
    var rows: [[DatabaseValue]]
}

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
