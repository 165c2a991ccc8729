import Driftless

/// The connection a migration's operations run on: a live database, or the recorder that
/// renders offline SQL (on SQLite an in-memory shadow database, so that table rebuilds can
/// still reflect the table they copy).
public protocol MigrationConnection {
    /// The database's dialect, which renders and applies the operations.
    var dialect: any MigrationDialect { get }
    /// Runs one statement with bound values.
    func execute(_ sql: String, arguments: [DatabaseValue]) throws
    /// Runs several statements without parameters (DDL scripts, SQL-file migrations).
    func executeScript(_ sql: String) throws
    /// The rows of a query, each as an array of values; throws
    /// ``MigrationError/Code/offlineUnsupported`` where there is no database to ask.
    func query(_ sql: String, arguments: [DatabaseValue]) throws -> [[DatabaseValue]]
    /// The live columns of a table, or nil if it does not exist.
    func reflectTable(_ table: TableName) throws -> TableSchema?
}
