extension Planner {
    /// `SELECT [DISTINCT] selections FROM ... WHERE ... GROUP BY ... HAVING ... ORDER BY ...`.
    ///
    /// A missing column is its default literal in selections, filters and aggregates. Every
    /// row holds the same default, so grouping by it splits nothing: it is left out of
    /// `GROUP BY`. When every grouping column is missing, all rows form one group, and no
    /// group at all when there are no rows: no `GROUP BY`, and `HAVING COUNT(*) > 0` (an
    /// aggregate without `GROUP BY` would answer one row even for an empty table).
    func renderProjection(_ shape: ProjectionShape, into sql: inout SQLBuilder) throws {
        sql.append(shape.distinct ? "SELECT DISTINCT " : "SELECT ")
        var items: [String] = []
        for selection in shape.selections { items.append(try selectionExpression(selection, named: true)) }
        sql.append(items.joined(separator: ", "))
        sql.append(" FROM "); sql.append(dialect.quote(schema.table))
        try renderWhere(into: &sql, shape.query.predicate)
        var groups: [String] = []
        for reference in shape.grouping {
            let column = try expression(reference)
            if case .declared(let index) = reference, present[index] { groups.append(column) }
        }
        let groupsOnlyByMissingColumns = groups.isEmpty && !shape.grouping.isEmpty
        if !groups.isEmpty { sql.append(" GROUP BY " + groups.joined(separator: ", ")) }
        if groupsOnlyByMissingColumns || shape.having != nil {
            sql.append(" HAVING ")
            if groupsOnlyByMissingColumns { sql.append("COUNT(*) > 0") }
            if let having = shape.having {
                if groupsOnlyByMissingColumns { sql.append(" AND ") }
                sql.append("(")
                try render(having, into: &sql)
                sql.append(")")
            }
        }
        try renderOrder(into: &sql, shape.query.orderings)
        if shape.query.hasLimit { sql.append(" LIMIT "); sql.appendPlaceholder() }
        if shape.query.hasOffset { sql.append(" OFFSET "); sql.appendPlaceholder() }
    }

    /// A selection as SQL. A column selected by itself keeps its name (`<default> AS "name"`
    /// when missing); aggregates of booleans count them as 1 and 0 (PostgreSQL has no
    /// `MIN(boolean)` or `SUM(boolean)`); averages are always a double.
    func selectionExpression(_ selection: SelectionShape, named: Bool = false) throws -> String {
        switch selection {
        case .column(let reference):
            let column = try expression(reference)
            guard named, case .declared(let index) = reference, !present[index] else { return column }
            return column + " AS " + dialect.quote(schema.columns[index].name)
        case .count:
            return "COUNT(*)"
        case .aggregate(let function, let reference, let distinct):
            var operand = try expression(reference)
            if case .declared(let index) = reference, schema.columns[index].type == .boolean, function != .count {
                operand = "CAST(" + operand + " AS INTEGER)"
            }
            let call = function.rawValue + "(" + (distinct ? "DISTINCT " : "") + operand + ")"
            return function == .average ? "CAST(" + call + " AS " + dialect.typeName(.real) + ")" : call
        }
    }
}

extension Planner {
    /// The layout of a projection's rows: one column per selection, named for errors (a
    /// selected key column names the row in them); nil for other plans.
    func projectionLayout(_ kind: PlanKind) -> RowLayout? {
        guard case .project(let shape) = kind else { return nil }
        var names: [String] = []
        var keys: [Int] = []
        for (position, selection) in shape.selections.enumerated() {
            switch selection {
            case .column(.declared(let index)):
                names.append(schema.columns[index].name)
                if schema.columns[index].isPrimaryKey { keys.append(position) }
            case .column(.undeclared(let name)): names.append(name)
            case .count: names.append("COUNT(*)")
            case .aggregate(let function, let reference, let distinct):
                let column = if case .declared(let index) = reference { schema.columns[index].name } else { "?" }
                names.append(function.rawValue + "(" + (distinct ? "DISTINCT " : "") + column + ")")
            }
        }
        return RowLayout(table: schema.table, columnNames: names, primaryKeyIndexes: keys)
    }
}
