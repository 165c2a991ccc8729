/// One backend connection, as the core drives it.
///
/// A connection is used by one thread at a time: its database hands it out under a lock and
/// takes it back. Driftless never shares a connection across concurrent callers.
public protocol DriverConnection: AnyObject, Sendable {
    associatedtype Statement: DriverStatement

    /// The SQL flavour of the backend.
    var dialect: SQLDialect { get }
    /// The connection's prepared statements, by plan and by SQL text.
    var statementCache: StatementCache<Statement> { get }

    /// Compiles a statement. Failures are classified ``DatabaseError``s.
    func prepare(_ sql: String) throws -> Statement
    /// Runs SQL without parameters or results (DDL, transaction control).
    func execute(_ sql: String) throws
    /// The live columns of a table, or nil if it does not exist.
    func reflectTable(_ table: TableName) throws -> TableSchema?
    /// A value that changes whenever the columns of these tables may have changed (SQLite's
    /// `schema_version`). Read only while a plan is drifted, to notice catch-up.
    func schemaFingerprint(of tables: [TableName]) throws -> Int64
}
