/// One backend connection, as the core drives it.
///
/// A connection is used by one thread at a time: its database hands it out under a lock and
/// takes it back. Driftless never shares a connection across concurrent callers.
public protocol DriverConnection: AnyObject, Sendable {
    associatedtype Statement: DriverStatement
    associatedtype Dialect: SQLDialect

    /// What the backend's SQL looks like.
    var dialect: Dialect { get }
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
    /// The most rows one INSERT of `insert(contentsOf:)` carries (a multi-row `VALUES` list,
    /// in chunks of a power of two rows). 1, the default, inserts row by row: right where a
    /// statement costs no round trip (SQLite); a server backend sets more, since each
    /// statement costs one.
    var insertBatchRows: Int { get }
    /// The most parameters one statement may bind (it bounds the rows of a batch INSERT).
    var maximumParameterCount: Int { get }
}

extension DriverConnection {
    public var insertBatchRows: Int { 1 }
    public var maximumParameterCount: Int { 999 }
}
