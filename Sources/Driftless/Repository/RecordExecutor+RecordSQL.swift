extension RecordExecutor {
    /// Runs a ``RecordSQL`` rendered against what is known of the table; when it fails for
    /// drift, reflects the table and runs it once more, re-rendered. The statement is cached
    /// by its text, so a steady state prepares nothing.
    func run<T>(_ sql: RecordSQL<R>, _ body: (Connection.Statement) throws -> T) throws -> T {
        if let problem = sql.problem { throw located(problem, column: nil) }
        if let problem = R.schema.problem(for: connection.dialect) {
            throw DriftlessError.invalidRecord(record: "\(R.self)", problem: problem)
        }
        context.noteConnectionUse()
        let cache = connection.statementCache
        var retried = false
        while true {
            let state = context.schemaMap.state(of: R.schema.table)
            let text = try Planner<R>(tableState: state, dialect: connection.dialect).render(sql)
            try RawSQL.check(text)
            do {
                let statement = try cache.statement(sql: text) { text in
                    context.statistics.notePrepared()
                    return try connection.prepare(text)
                }
                defer { statement.reset() }
                do {
                    try RawSQL.bind(sql.arguments, to: statement)
                    return try body(statement)
                } catch let error as DatabaseError {
                    cache.evict(sql: text)
                    throw error
                }
            } catch let error as DatabaseError where error.isSchemaDrift && !retried {
                retried = true
                context.statistics.noteDriftError()
                guard try context.reflect(R.self, on: connection) else { throw error }
            }
        }
    }

    /// Records from a ``RecordSQL``, mapped by column name (declared columns the result lacks
    /// read as their defaults).
    func fetchAll(literal sql: RecordSQL<R>) throws -> [R] {
        try run(sql) { statement in
            var records: [R] = []
            var layout: RowLayout?
            while try statement.step() {
                let rowLayout = layout ?? RowLayout(schema: R.schema, source: statement,
                                                    caseInsensitive: context.dialect.identifiersAreCaseInsensitive)
                layout = rowLayout
                records.append(try R(row: Row(source: statement, layout: rowLayout)))
            }
            return records
        }
    }

    /// Rows of a ``RecordSQL`` decoded by position.
    func select<T>(literal sql: RecordSQL<R>, decode: (Row) throws -> T) throws -> [T] {
        try run(sql) { statement in
            var results: [T] = []
            var layout: RowLayout?
            while try statement.step() {
                let rowLayout = layout ?? RowLayout(
                    table: R.schema.table, columnNames: (0..<statement.columnCount).map { statement.columnName(at: $0) },
                    primaryKeyIndexes: [])
                layout = rowLayout
                results.append(try decode(Row(source: statement, layout: rowLayout)))
            }
            return results
        }
    }
}
