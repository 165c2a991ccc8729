/// Moves values kept in a table's overflow column into the real columns that now exist, in
/// batches: `driftless migrate backfill`, and the migrator after it applies migrations.
///
/// Each batch is one transaction: it locks the next rows whose overflow holds a key of a
/// real column (SQLite's write lock, PostgreSQL `FOR UPDATE`, under a lock timeout), and for
/// each row writes the values to their columns and removes those keys in one `UPDATE`. A key
/// is in the overflow only if no write of its column came after it (every write of a column
/// removes the key), so moving never overwrites a newer value; rows a writer changes meanwhile
/// wait for, or are waited on by, the batch. Idempotent and resumable: a batch that did not
/// commit (a crash, `kill -9`) left its rows as they were, and the next run finds them again.
package struct OverflowMover<Connection: DriverConnection> {
    let connection: Connection
    let table: TableName
    let overflowColumn: String
    let batchSize: Int
    let lockTimeoutMilliseconds: Int?

    package init(connection: Connection, table: TableName, overflowColumn: String, batchSize: Int, lockTimeoutMilliseconds: Int?) {
        self.connection = connection
        self.table = table
        self.overflowColumn = overflowColumn
        self.batchSize = batchSize
        self.lockTimeoutMilliseconds = lockTimeoutMilliseconds
    }

    /// What one batch did.
    package struct Batch {
        package var movedRows = 0
        package var movedValues = 0
        /// The last row's key, to start the next batch after (nil: no row was left).
        package var lastKey: [DatabaseValue]?
    }

    /// Moves one batch after `key` (nil: from the start).
    package func moveBatch(after key: [DatabaseValue]?) throws -> Batch {
        try TransactionControl.run(on: connection) {
            let dialect = connection.dialect
            if let milliseconds = lockTimeoutMilliseconds, let sql = dialect.localLockTimeout(milliseconds: milliseconds) {
                try connection.execute(sql)
            }
            guard let schema = try connection.reflectTable(table),
                  let overflow = schema.column(named: overflowColumn, caseInsensitive: dialect.identifiersAreCaseInsensitive)
            else { return Batch() }
            let targets = schema.columns.filter { $0.name != overflow.name && !$0.isGenerated }
            var byKey: [String: String] = [:]
            for column in targets { byKey[OverflowCodec.key(for: column.name)] = column.name }
            let keyColumns = schema.columns.filter(\.isPrimaryKey).map { dialect.quote($0.name) }
            let locator: [String]
            if !keyColumns.isEmpty {
                locator = keyColumns
            } else if let rowLocator = dialect.rowLocator, dialect.localLockTimeout(milliseconds: 0) == nil {
                locator = [rowLocator]  // SQLite's rowid is stable; PostgreSQL's ctid is not
            } else {
                throw DriftlessError(.noPrimaryKey, table: table,
                                     detail: "moving overflow values needs a primary key to walk the table in batches")
            }
            let quotedOverflow = dialect.quote(overflow.name)
            var sql = "SELECT " + locator.joined(separator: ", ") + ", " + quotedOverflow + " FROM " + dialect.quote(schema.table)
                + " WHERE " + dialect.overflowHoldsAny(quotedOverflow, keys: targets.map { OverflowCodec.key(for: $0.name) })
            var arguments: [DatabaseValue] = []
            if let key {
                sql += " AND (" + locator.joined(separator: ", ") + ") > ("
                    + (1...key.count).map { dialect.placeholder($0) }.joined(separator: ", ") + ")"
                arguments = key
            }
            sql += " ORDER BY " + locator.joined(separator: ", ") + " LIMIT \(batchSize)"
            if dialect.localLockTimeout(milliseconds: 0) != nil { sql += " FOR UPDATE" }

            var rows: [(key: [DatabaseValue], overflow: String)] = []
            let select = try connection.prepare(sql)
            defer { select.reset() }
            try RawSQL.bind(arguments, to: select)
            while try select.step() {
                let rowKey = (0..<locator.count).map { select.value(at: $0) }
                guard case .text(let json) = select.value(at: locator.count) else { continue }
                rows.append((rowKey, json))
            }
            select.reset()

            var batch = Batch()
            batch.lastKey = rows.last?.key
            for row in rows {
                guard let members = OverflowCodec.decodeObject(row.overflow) else {
                    throw DriftlessError(.typeMismatch, table: table, column: overflow.name, key: describe(row.key, locator),
                                         expected: "a JSON object", found: .text(row.overflow))
                }
                let moving = members.compactMap { member in byKey[member.key].map { (member.key, $0, member.value) } }
                guard !moving.isEmpty else { continue }
                var assignments: [String] = []
                var values: [DatabaseValue] = []
                for (jsonKey, column, value) in moving {
                    guard let value else {
                        throw DriftlessError(.typeMismatch, table: table, column: column, key: describe(row.key, locator),
                                             expected: "a value written by Driftless", found: .text(jsonKey))
                    }
                    values.append(value)
                    assignments.append(dialect.quote(column) + " = " + dialect.placeholder(values.count))
                }
                assignments.append(quotedOverflow + " = " + dialect.overflowRemoving(quotedOverflow, keys: moving.map(\.0)))
                let condition = zip(locator, row.key.indices).map { name, index in
                    name + " = " + dialect.placeholder(values.count + index + 1)
                }.joined(separator: " AND ")
                let update = "UPDATE " + dialect.quote(schema.table) + " SET " + assignments.joined(separator: ", ")
                    + " WHERE " + condition
                do {
                    _ = try connection.execute(update, arguments: values + row.key)
                } catch var error as DatabaseError {
                    error.message += " (moving overflow values of \(table), row \(describe(row.key, locator)))"
                    throw error
                }
                batch.movedRows += 1
                batch.movedValues += moving.count
            }
            return batch
        }
    }

    private func describe(_ key: [DatabaseValue], _ locator: [String]) -> String {
        zip(locator, key).map { "\($0)=\($1)" }.joined(separator: ", ")
    }
}

/// What moving a table's overflow values did.
public struct OverflowMoveReport: Sendable, Hashable, CustomStringConvertible {
    public var table: TableName
    /// Rows whose overflow held values of real columns, and the values moved.
    public var rows = 0
    public var values = 0
    /// The transactions it took.
    public var batches = 0

    public init(table: TableName) { self.table = table }

    public var description: String {
        "\(table): moved \(values) value(s) of \(rows) row(s) in \(batches) batch(es)"
    }
}
