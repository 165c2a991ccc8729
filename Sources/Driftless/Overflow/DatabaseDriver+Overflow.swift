extension DatabaseDriver {
    /// Moves the values kept in `table`'s overflow column into the columns that now exist,
    /// in transactions of `batchSize` rows, and reports each batch to `progress` (see
    /// ``OverflowMover``). Safe while writers keep writing, and to run again after a crash.
    ///
    /// - Parameters:
    ///   - lockTimeout: How long each batch waits for a row lock (PostgreSQL; SQLite waits
    ///     its busy timeout).
    public func moveOverflowValues(
        in table: TableName, overflowColumn: String = "driftless_overflow", batchSize: Int = 1000,
        lockTimeout: Duration? = .seconds(5), progress: @escaping @Sendable (OverflowMoveReport) -> Void = { _ in }
    ) async throws -> OverflowMoveReport {
        var report = OverflowMoveReport(table: table)
        var after: [DatabaseValue]?
        let milliseconds = lockTimeout.map { Int($0.components.seconds * 1000 + $0.components.attoseconds / 1_000_000_000_000_000) }
        while true {
            let start = after
            let batch = try await writing { connection in
                let mover = OverflowMover(connection: connection, table: table, overflowColumn: overflowColumn,
                                          batchSize: max(1, batchSize), lockTimeoutMilliseconds: milliseconds)
                let batch = try mover.moveBatch(after: start)
                return (batch.movedRows, batch.movedValues, batch.lastKey.map(SendableKey.init))
            }
            guard let last = batch.2 else { break }
            report.rows += batch.0
            report.values += batch.1
            report.batches += 1
            progress(report)
            after = last.values
        }
        if report.values > 0 { invalidateSchema() }
        return report
    }

    /// ``moveOverflowValues(in:overflowColumn:batchSize:lockTimeout:progress:)`` for every
    /// record that keeps values in an overflow column.
    public func moveOverflowValues(for records: [any Record.Type], batchSize: Int = 1000) async throws -> [OverflowMoveReport] {
        var reports: [OverflowMoveReport] = []
        var seen: Set<TableName> = []
        for record in records {
            guard let (table, column) = record.overflowTable, seen.insert(table).inserted else { continue }
            reports.append(try await moveOverflowValues(in: table, overflowColumn: column, batchSize: batchSize))
        }
        return reports
    }
}

/// A batch's last key, handed from the connection's thread to the caller.
private struct SendableKey: Sendable {
    let values: [DatabaseValue]
}

extension Record {
    /// The table and overflow column of a record that keeps values there, or nil.
    static var overflowTable: (TableName, String)? {
        schema.usesOverflow ? (schema.table, schema.overflowColumn) : nil
    }
}
