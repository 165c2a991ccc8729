import Driftless

/// Records the operations of a Swift migration, in order, for the runner to apply, the
/// offline renderer to print and the lint to check.
///
/// ```swift
/// Migration("ae1027a6acf4", "add plan to users", parents: ["1975ea83b712"]) { up in
///     up.lockTimeout(.seconds(2))
///     up.addColumn("plan", .text, to: "users", nullable: false, default: "free")
///     up.execute("UPDATE users SET plan = ? WHERE id IN (SELECT user_id FROM subscriptions)", arguments: ["pro"])
/// } downgrade: { down in
///     down.dropColumn("plan", from: "users")
/// }
/// ```
///
/// Nothing runs while recording: the builder only appends ``SchemaOperation`` values.
/// Tables are named by `name` and an optional `schema` (a PostgreSQL schema or an attached
/// SQLite database); every name is quoted when rendered, so any spelling is safe.
public struct MigrationBuilder: Sendable {
    /// The recorded operations, in the order they run.
    public private(set) var operations: [SchemaOperation] = []
    /// The batched backfills, run after the migration commits (see ``Backfill``).
    public private(set) var backfills: [Backfill] = []

    public init() {}

    /// Records any operation.
    public mutating func append(_ operation: SchemaOperation) {
        operations.append(operation)
    }

    // MARK: Tables

    /// Creates a table. The primary key is `primaryKey` when given, else the columns marked
    /// `primaryKey: true`.
    public mutating func createTable(
        _ name: String, schema: String? = nil, ifNotExists: Bool = false, primaryKey: [String] = [],
        @TableColumnsBuilder columns: () -> [TableColumn]
    ) {
        append(.createTable(TableDefinition(TableName(name, schema: schema), columns: columns(),
                                            primaryKey: primaryKey, ifNotExists: ifNotExists)))
    }

    /// Drops a table. The lint flags it while a record still declares the table: drop it
    /// in a release after the code stopped using it.
    public mutating func dropTable(_ name: String, schema: String? = nil, ifExists: Bool = false) {
        append(.dropTable(TableName(name, schema: schema), ifExists: ifExists))
    }

    /// Renames a table within its schema. To code still running, a rename is a drop: the
    /// lint flags it while a record declares the old name.
    public mutating func renameTable(_ name: String, schema: String? = nil, to newName: String) {
        append(.renameTable(TableName(name, schema: schema), to: newName))
    }

    // MARK: Columns

    /// Adds a column. With `ifNotExists`, an existing column of that name is left alone
    /// (PostgreSQL `ADD COLUMN IF NOT EXISTS`; on SQLite the table is reflected first).
    public mutating func addColumn(_ column: TableColumn, to table: String, schema: String? = nil, ifNotExists: Bool = false) {
        append(.addColumn(TableName(table, schema: schema), column, ifNotExists: ifNotExists))
    }

    /// Adds a column from its parts: `addColumn("plan", .text, to: "users", nullable: false, default: "free")`.
    public mutating func addColumn(
        _ name: String, _ type: ColumnType, to table: String, schema: String? = nil, nullable: Bool = true,
        default defaultValue: DatabaseValue? = nil, unique: Bool = false, ifNotExists: Bool = false
    ) {
        addColumn(TableColumn(name, type, nullable: nullable, default: defaultValue, unique: unique),
                  to: table, schema: schema, ifNotExists: ifNotExists)
    }

    /// Drops a column. On SQLite, a key, unique, indexed or foreign key column is dropped
    /// by rebuilding the table (its indexes go with it).
    public mutating func dropColumn(_ column: String, from table: String, schema: String? = nil) {
        append(.dropColumn(TableName(table, schema: schema), column: column))
    }

    /// Renames a column (`ALTER TABLE ... RENAME COLUMN` on both databases; SQLite updates
    /// the indexes, triggers and views that name it).
    public mutating func renameColumn(_ column: String, to newName: String, in table: String, schema: String? = nil) {
        append(.renameColumn(TableName(table, schema: schema), from: column, to: newName))
    }

    /// Changes a column's type, nullability or default; nil leaves that aspect alone.
    /// `default: .drop` removes the default.
    ///
    /// PostgreSQL does it in one `ALTER TABLE` (a type change with a `USING` conversion it
    /// accepts); SQLite rebuilds the table, keeping its rows, keys, constraints, indexes,
    /// triggers and views, and rolls back to the old table if a row does not fit.
    public mutating func alterColumn(
        _ column: String, in table: String, schema: String? = nil, type: ColumnType? = nil, nullable: Bool? = nil,
        default defaultChange: ColumnAlteration.DefaultChange? = nil
    ) {
        append(.alterColumn(TableName(table, schema: schema), column: column,
                            ColumnAlteration(type: type, nullable: nullable, default: defaultChange)))
    }

    // MARK: Indexes

    /// Creates an index. `concurrently` builds it without blocking writes on PostgreSQL (the
    /// migration must then be created with `transactional: false`); SQLite ignores it.
    public mutating func createIndex(
        _ name: String, on table: String, schema: String? = nil, columns: [String], unique: Bool = false,
        concurrently: Bool = false, ifNotExists: Bool = false
    ) {
        append(.createIndex(IndexDefinition(name, on: TableName(table, schema: schema), columns: columns,
                                            unique: unique, concurrently: concurrently, ifNotExists: ifNotExists)))
    }

    /// Drops an index; `table` only says which schema it is in.
    public mutating func dropIndex(
        _ name: String, on table: String? = nil, schema: String? = nil, concurrently: Bool = false, ifExists: Bool = false
    ) {
        let tableName = table.map { TableName($0, schema: schema) } ?? schema.map { TableName("", schema: $0) }
        append(.dropIndex(name: name, table: tableName, concurrently: concurrently, ifExists: ifExists))
    }

    // MARK: Statements

    /// Runs one statement with bound values (`?` on SQLite, `$1` on PostgreSQL): data
    /// migrations and backfills that never splice values into SQL.
    public mutating func execute(_ sql: String, arguments: [DatabaseValue] = []) {
        append(.execute(sql: sql, arguments: arguments))
    }

    /// Updates many rows after the migration commits, outside its transaction, in batches of
    /// `batchSize` rows each in a transaction of its own (see ``Backfill``): `where` must
    /// select only rows not done yet, so that a run killed halfway resumes where it stopped.
    public mutating func backfill(
        table: String, schema: String? = nil, set: String, where condition: String, batchSize: Int = 1000,
        lockTimeout: Duration = .seconds(5)
    ) {
        backfills.append(Backfill(table: TableName(table, schema: schema), set: set, where: condition,
                                  batchSize: batchSize, lockTimeout: lockTimeout))
    }

    /// Runs several statements without parameters.
    public mutating func script(_ sql: String) {
        append(.script(sql))
    }

    /// Runs Swift code against the migration's connection (reads, computed backfills). It
    /// also runs when offline SQL is recorded, against the recorder, whose `execute` calls
    /// become the script's statements.
    public mutating func custom(_ name: String, _ run: @escaping @Sendable (any MigrationConnection) throws -> Void) {
        append(.custom(name: name, run: run))
    }

    /// Limits how long each statement of the migration waits for a lock, so that a DDL
    /// statement queued behind a long transaction fails fast instead of blocking every query
    /// queued behind it (PostgreSQL `SET lock_timeout`). Put it first. Does nothing where the
    /// dialect has no such setting (SQLite: one writer, and the busy timeout already bounds
    /// the wait; see ``MigrationDialect/lockTimeoutStatement(milliseconds:)``).
    ///
    /// Sets the session value, which also holds for a migration that runs outside a
    /// transaction; the setting stays on the migration's connection after it.
    public mutating func lockTimeout(_ timeout: Duration) {
        let (seconds, attoseconds) = timeout.components
        let milliseconds = max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        append(.custom(name: Self.lockTimeoutOperationPrefix + "\(milliseconds)ms") { connection in
            if let statement = connection.dialect.lockTimeoutStatement(milliseconds: milliseconds) {
                try connection.execute(statement, arguments: [])
            }
        })
    }

    /// The name prefix of the operation ``lockTimeout(_:)`` records, which the lint
    /// recognizes as setting `lock_timeout`.
    static let lockTimeoutOperationPrefix = "lock_timeout="

    /// Bounds how long each following statement of the migration may run (PostgreSQL's
    /// `statement_timeout`), so that a scan or rewrite under a lock cannot hold it for long;
    /// a no-op on databases without one (see ``MigrationDialect/statementTimeoutStatement(milliseconds:)``).
    public mutating func statementTimeout(_ timeout: Duration) {
        let (seconds, attoseconds) = timeout.components
        let milliseconds = max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        append(.custom(name: Self.statementTimeoutOperationPrefix + "\(milliseconds)ms") { connection in
            if let statement = connection.dialect.statementTimeoutStatement(milliseconds: milliseconds) {
                try connection.execute(statement, arguments: [])
            }
        })
    }

    /// The name prefix of the operation ``statementTimeout(_:)`` records.
    static let statementTimeoutOperationPrefix = "statement_timeout="
}
