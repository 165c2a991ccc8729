extension RecordExecutor {
    /// Runs a projection and decodes each row with `decode` (its columns are the selections,
    /// in order).
    func project<T>(_ query: Query<R>, _ selections: [SelectionShape], distinct: Bool,
                    decode: (Row) throws -> T) throws -> [T] {
        if let problem = query.groupPredicate?.problem { throw located(problem, column: nil) }
        return try run(.project(query.projectionShape(selections, distinct: distinct))) { plan, statement, _ in
            guard let statement else {
                // A missing table has no rows: aggregates over all of them answer one row, as
                // over an empty table; anything grouped or per row answers none.
                let aggregatesOnly = query.grouping.isEmpty && query.groupPredicate == nil && selections.allSatisfy {
                    if case .column = $0 { return false }
                    return true
                }
                return aggregatesOnly ? [try decode(ProjectionDecoding.emptyAggregateRow(selections, of: R.self))] : []
            }
            defer { statement.reset() }
            try bind(query.projectionArguments, checking: query.predicate, to: statement)
            var results: [T] = []
            while try statement.step() {
                results.append(try decode(Row(source: statement, layout: plan.layout)))
            }
            return results
        }
    }
}

extension RecordExecutor {
    /// The value of one aggregate over the query's rows (its first group's, when grouped).
    func aggregate<T>(_ query: Query<R>, _ selections: [SelectionShape], decode: (Row) throws -> T) throws -> T {
        let rows = try project(query, selections, distinct: false, decode: decode)
        if let first = rows.first { return first }
        // Grouped, over no rows: the aggregate of nothing.
        return try decode(ProjectionDecoding.emptyAggregateRow(selections, of: R.self))
    }
}
