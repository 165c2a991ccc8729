extension Planner {
    /// `UPDATE ... SET` the assignments to columns the table has, `WHERE` the filter. An
    /// assignment to a missing column is left out (the executor applies its write policy).
    ///
    /// - Returns: The positions, in `assignments`, of those that bind a value, in order (the
    ///   filter's values follow them).
    func renderUpdateAll(_ assignments: [AssignmentShape], where predicate: ConditionShape?,
                         into sql: inout SQLBuilder) throws -> [Int] {
        var kept: [Int] = []
        var clearedKeys: [String] = []
        for (position, assignment) in assignments.enumerated() {
            guard case .declared(let index) = assignment.column else {
                _ = try expression(assignment.column)
                continue
            }
            let column = schema.columns[index]
            // Dual writes and overflow values are bound per record; one assignment computed in
            // the database cannot yet feed a previous column's conversion or the overflow JSON.
            if columns[index].writes.count > 1 || columns[index].writes.first?.conversion != nil
                || (!present[index] && columns[index].usesOverflow) {
                throw DriftlessError.invalidQuery(
                    .unsupportedAssignment, record: "\(R.self)", column: column.name,
                    detail: "updateAll cannot assign \(column.name) while it is "
                        + (present[index] ? "being renamed (both names exist)" : "kept in the overflow column")
                        + ": update the records one by one")
            }
            guard present[index] else { continue }
            if overflow != nil && columns[index].usesOverflow { clearedKeys.append(OverflowCodec.key(for: column.name)) }
            kept.append(position)
        }
        sql.append("UPDATE "); sql.append(tableSQL); sql.append(" SET ")
        if kept.isEmpty {
            // Nothing left to store, but the matching rows are still counted: assign a column
            // the table has (the key, if it has one) to itself.
            let anchor = schema.primaryKeyIndexes.first { present[$0] } ?? schema.columns.indices.first { present[$0] } ?? 0
            let column = dialect.quote(columns[anchor].writes.first?.name ?? schema.columns[anchor].name)
            sql.append(column + " = " + column)
        } else {
            sql.appendList(kept) { builder, position in
                guard case .declared(let index) = assignments[position].column else { return }
                let target = dialect.quote(columns[index].writes.first?.name ?? schema.columns[index].name)
                let operation = assignments[position].operation
                builder.append(target + " = ")
                // Arithmetic starts from the value reads see (the overflow's, when newer).
                if operation != .set { builder.append(expression(index) + " " + operation.rawValue + " ") }
                builder.appendPlaceholder()
            }
            // A value assigned to the real column is newer than the overflow's: clear its key.
            if let overflow, !clearedKeys.isEmpty {
                sql.append(", " + overflow + " = " + dialect.overflowRemoving(overflow, keys: clearedKeys))
            }
        }
        try renderWhere(into: &sql, predicate)
        return kept
    }
}
