import Driftless

/// A data change over many rows that runs after its migration commits, outside its
/// transaction, in batches: `up.backfill(table: "users", set: "full_name = name", where: "full_name IS NULL")`.
///
/// Each batch is a transaction of its own that updates at most `batchSize` rows matching
/// `where`, walking the table in primary-key order (SQLite's `rowid`, PostgreSQL's `ctid`
/// without one), so no lock is held for long and writers go on meanwhile; on PostgreSQL each
/// batch waits at most `lockTimeout` for a row lock. `where` must select only rows the
/// backfill has not done yet (`new IS NULL`): then a run killed halfway is resumed by running
/// it again (`driftless migrate backfill --revision`), and rows written meanwhile by code
/// that writes both columns are left alone. Offline (`--sql`) it renders as one `UPDATE`.
public struct Backfill: Sendable, Hashable {
    public var table: TableName
    /// The assignments, as SQL (`full_name = name`).
    public var set: String
    /// The rows still to do, as SQL.
    public var condition: String
    public var batchSize: Int
    public var lockTimeout: Duration

    public init(table: TableName, set: String, where condition: String, batchSize: Int = 1000, lockTimeout: Duration = .seconds(5)) {
        self.table = table
        self.set = set
        self.condition = condition
        self.batchSize = max(1, batchSize)
        self.lockTimeout = lockTimeout
    }

    /// The one statement offline scripts run.
    func offlineSQL(_ dialect: some SQLDialect) -> String {
        "UPDATE " + dialect.quote(table) + " SET " + set + " WHERE " + condition
    }

    /// Runs the backfill on a connection outside any transaction, one transaction per
    /// batch; `progress` gets the rows updated so far after each batch.
    package func run(on connection: some DriverConnection, progress: (Int, Int) -> Void = { _, _ in }) throws -> (rows: Int, batches: Int) {
        let dialect = connection.dialect
        guard let schema = try connection.reflectTable(table) else { throw MigrationError.tableNotFound(table.description) }
        let keys = schema.columns.filter(\.isPrimaryKey).map { dialect.quote($0.name) }
        guard let locator = keys.isEmpty ? dialect.rowLocator.map({ [$0] }) : keys else {
            throw MigrationError.unsupportedOperation("a backfill of \(table) needs a primary key to walk the table in batches")
        }
        let tuple = "(" + locator.joined(separator: ", ") + ")"
        let quoted = dialect.quote(schema.table)
        var last: [DatabaseValue]?
        var rows = 0, batches = 0
        let milliseconds = Int(lockTimeout.components.seconds * 1000 + lockTimeout.components.attoseconds / 1_000_000_000_000_000)
        while true {
            let batch: (changed: Int, last: [DatabaseValue]?) = try TransactionControl.run(on: connection) {
                if let sql = dialect.localLockTimeout(milliseconds: milliseconds) { try connection.execute(sql) }
                var selection = "SELECT " + locator.joined(separator: ", ") + " FROM " + quoted + " WHERE (" + condition + ")"
                if let last {
                    selection += " AND " + tuple + " > (" + (1...last.count).map { dialect.placeholder($0) }.joined(separator: ", ") + ")"
                }
                selection += " ORDER BY " + locator.joined(separator: ", ") + " LIMIT \(batchSize)"
                let statement = try connection.prepare(selection)
                defer { statement.reset() }
                try RawSQL.bind(last ?? [], to: statement)
                var found: [[DatabaseValue]] = []
                while try statement.step() { found.append((0..<locator.count).map { statement.value(at: $0) }) }
                statement.reset()
                guard let end = found.last else { return (0, nil) }
                var placeholder = 0
                let list = found.map { row in
                    "(" + row.map { _ in placeholder += 1; return dialect.placeholder(placeholder) }.joined(separator: ", ") + ")"
                }.joined(separator: ", ")
                let changed = try connection.execute(
                    "UPDATE " + quoted + " SET " + set + " WHERE " + tuple + " IN (" + list + ") AND (" + condition + ")",
                    arguments: found.flatMap { $0 })
                return (changed, end)
            }
            guard let end = batch.last else { break }
            last = end
            rows += batch.changed
            batches += 1
            progress(rows, batches)
        }
        return (rows, batches)
    }
}
