extension RecordExecutor {
    /// Updates the rows a query matches with assignments computed in the database; returns
    /// how many rows matched. Assignments to missing columns follow their write policy
    /// (``Assignment``) before anything is written.
    func updateAll(_ query: Query<R>, _ assignments: [Assignment<R>]) throws -> Int {
        let schema = R.schema
        if let problem = assignments.lazy.compactMap(\.problem).first {
            throw located(problem, column: nil)
        }
        return try run(.updateAll(query.predicate?.shape, assignments.map(\.shape))) { plan, statement, _ in
            // A missing table has no rows to update.
            guard let statement else { return 0 }
            for assignment in assignments {
                guard case .declared(let index) = assignment.shape.column, plan.missingColumns.contains(index) else { continue }
                let column = schema.columns[index]
                if assignment.leavesUnchanged(column.defaultValue ?? .null) { continue }
                let key = "(every row the filter matches)"
                if column.writePolicy == .reject {
                    throw DriftlessError.valueRejected(table: schema.table, column: column.name, key: key,
                                                       value: assignment.value)
                }
                context.monitor.droppedValue(table: schema.table, column: column.name, key: key,
                                             value: assignment.value, policy: column.writePolicy)
            }
            defer { statement.reset() }
            var values = plan.boundColumns.map { assignments[$0].value }
            values += query.predicate?.values ?? []
            try bind(values, checking: query.predicate, to: statement)
            _ = try statement.step()
            return statement.changedRowCount
        }
    }

    /// Updates only these declared columns of the record's row; throws
    /// ``DriftlessError/Code/recordNotFound`` when there is no such row.
    func update(_ record: R, columns: [Int]) throws {
        try run(.updateColumns(columns)) { plan, statement, _ in
            let statement = try checkWrite(plan, statement, record: record, inserting: false)
            defer { statement.reset() }
            try bindColumns(plan, of: record, to: statement)
            try bindKey(of: record, to: statement, from: plan.boundColumns.count + 1)
            _ = try statement.step()
            if statement.changedRowCount == 0 {
                throw DriftlessError.recordNotFound(table: R.schema.table, key: keyDescription(of: record))
            }
        }
    }
}
