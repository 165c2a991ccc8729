import Driftless

/// What migrations need to know about one database, beyond the core's ``SQLDialect``: how its
/// SQL text is read, how it renders and applies each schema operation, how to list its live
/// tables and indexes, which column types hold which, and the lint rules of its own.
///
/// Each backend's migrations module conforms its dialect (`DriftlessSQLiteMigrations` makes
/// `SQLiteDialect` one, `DriftlessPostgresMigrations` `PostgresDialect`), so the engine never
/// asks which database it renders for: it calls the dialect. As in Alembic's `DefaultImpl`,
/// every operation has a default rendering in the SQL that SQLite and PostgreSQL share
/// (``MigrationDialect/createTableStatements(_:)`` and the rest); a dialect overrides the
/// operations its database spells differently, and ``apply(_:on:transactional:)`` for those
/// it must do against the live table (SQLite's table rebuild). A third backend is a third
/// conformance, in a module of its own.
public protocol MigrationDialect: SQLDialect {
    /// How the database's SQL text is read: comments, quotes, parameters, name folding.
    var syntax: SQLSyntax { get }

    // MARK: Rendering

    /// The statements an operation runs, rendered from the operation alone, without a
    /// database. The default renders each operation with the requirement of its own below,
    /// inlines `.execute` values with ``offlineLiteral(_:)`` and throws
    /// ``MigrationError/Code/offlineUnsupported`` for `.custom` code.
    func statements(for operation: SchemaOperation) throws(MigrationError) -> [String]

    /// `"name" TYPE [NOT NULL] [DEFAULT literal] [UNIQUE]`, without any primary key clause.
    func columnDefinition(_ column: TableColumn) -> String
    func createTableStatements(_ table: TableDefinition) throws(MigrationError) -> [String]
    func dropTableStatements(_ table: TableName, ifExists: Bool) throws(MigrationError) -> [String]
    func renameTableStatements(_ table: TableName, to newName: String) throws(MigrationError) -> [String]
    func addColumnStatements(_ column: TableColumn, to table: TableName, ifNotExists: Bool) throws(MigrationError) -> [String]
    func dropColumnStatements(_ column: String, from table: TableName) throws(MigrationError) -> [String]
    func renameColumnStatements(_ column: String, to newName: String, in table: TableName) throws(MigrationError) -> [String]
    func alterColumnStatements(_ column: String, in table: TableName, _ alteration: ColumnAlteration) throws(MigrationError) -> [String]
    func createIndexStatements(_ index: IndexDefinition) throws(MigrationError) -> [String]
    func dropIndexStatements(_ name: String, table: TableName?, concurrently: Bool, ifExists: Bool) throws(MigrationError) -> [String]

    /// The literal that stands for a bound value in offline SQL: it must store exactly what
    /// binding the value stores (a script piped into a command-line client cannot bind).
    func offlineLiteral(_ value: DatabaseValue) -> String

    /// Whether the database's command-line tool, which runs offline scripts, reads CR LF as
    /// LF (the `sqlite3` shell does): a script then cannot carry CR LF inside a name or a
    /// literal, so ``offlineLiteral(_:)`` must write such text another way and offline
    /// rendering rejects a name holding it. False by default.
    var scriptReaderNormalizesLineEndings: Bool { get }

    /// The statement that bounds how long each statement waits for a lock, or nil where
    /// schema changes do not queue behind other sessions' locks
    /// (``MigrationBuilder/lockTimeout(_:)``).
    func lockTimeoutStatement(milliseconds: Int64) -> String?
    /// The statement that bounds how long each statement runs, or nil where there is none
    /// (``MigrationBuilder/statementTimeout(_:)``).
    func statementTimeoutStatement(milliseconds: Int64) -> String?

    // MARK: Applying

    /// Runs one operation on a connection, inside whatever transaction the caller holds.
    /// The default runs ``statements(for:)`` (see ``applyByRendering(_:on:transactional:)``);
    /// a dialect overrides it for operations that must look at the live table first.
    func apply(_ operation: SchemaOperation, on connection: some MigrationConnection, transactional: Bool) throws

    // MARK: The live schema

    /// The ordinary tables of `schema` (nil: the connection's default schema), without the
    /// database's internal tables.
    func tables(inSchema schema: String?, on connection: some MigrationConnection) throws -> [TableName]
    /// The names of a table's indexes, including those that back constraints.
    func indexNames(on table: TableName, connection: some MigrationConnection) throws -> [String]
    /// A table's indexes with their columns and uniqueness (those backing constraints too),
    /// for the diff to compare with declared ones.
    func liveIndexes(on table: TableName, connection: some MigrationConnection) throws -> [LiveIndex]
    /// Whether a live column whose declared type is `liveType` (as reflection spells it)
    /// stores a record column of type `declared` without conversion trouble.
    func liveType(_ liveType: String, holds declared: ColumnType) -> Bool
    /// The record column type a live type (as reflection spells it) naturally is, if one:
    /// what an autogenerated downgrade changes a column back to.
    func columnType(ofLive liveType: String) -> ColumnType?

    // MARK: Lint

    /// The database's own lint checks, run after the rules every database shares; fresh
    /// state per migration. None by default.
    func makeLintChecks() -> [any LintCheck]
    /// The rules this database's lint checks: the engine's shared ones and those of
    /// ``makeLintChecks()`` (what `lint --list-rules` shows per database).
    var lintRules: Set<LintRule> { get }
}
