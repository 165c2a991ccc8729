extension Planner {
    /// `UPDATE ... SET` the assignments to columns the table has, `WHERE` the filter. An
    /// assignment to a missing column is left out (the executor applies its write policy).
    ///
    /// - Returns: The positions, in `assignments`, of those that bind a value, in order (the
    ///   filter's values follow them).
    func renderUpdateAll(_ assignments: [AssignmentShape], where predicate: ConditionShape?,
                         into sql: inout SQLBuilder) throws -> [Int] {
        var kept: [Int] = []
        for (position, assignment) in assignments.enumerated() {
            guard case .declared(let index) = assignment.column else {
                _ = try expression(assignment.column)
                continue
            }
            if present[index] { kept.append(position) }
        }
        sql.append("UPDATE "); sql.append(dialect.quote(schema.table)); sql.append(" SET ")
        if kept.isEmpty {
            // Nothing left to store, but the matching rows are still counted: assign a column
            // the table has (the key, if it has one) to itself.
            let anchor = schema.primaryKeyIndexes.first { present[$0] } ?? schema.columns.indices.first { present[$0] } ?? 0
            let column = dialect.quote(schema.columns[anchor].name)
            sql.append(column + " = " + column)
        } else {
            sql.appendList(kept) { builder, position in
                guard case .declared(let index) = assignments[position].column else { return }
                let column = dialect.quote(schema.columns[index].name)
                let operation = assignments[position].operation
                builder.append(column + " = ")
                if operation != .set { builder.append(column + " " + operation.rawValue + " ") }
                builder.appendPlaceholder()
            }
        }
        try renderWhere(into: &sql, predicate)
        return kept
    }
}
