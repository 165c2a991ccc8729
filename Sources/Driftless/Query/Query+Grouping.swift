extension Query {
    /// Groups the rows by these columns, for a projection (`Repository/select(_:from:)`):
    /// each result row is one group, whose aggregates cover its rows.
    ///
    /// A missing column holds its default in every row, so it splits no group: grouping only
    /// by missing columns yields one group when there are rows and none when there are not.
    public func group(by keyPaths: PartialKeyPath<Root>...) -> Query { group(by: keyPaths) }

    /// Groups the rows by these columns (see `group(by:)`).
    public func group(by keyPaths: [PartialKeyPath<Root>]) -> Query {
        var query = self
        query.grouping = keyPaths.map { Condition<Root>.column($0) }
        return query
    }

    /// Keeps only the groups that also match `predicate` (SQL's `HAVING`), typically a
    /// comparison of an aggregate: `.having(User.count() > 1)`.
    public func having(_ predicate: Condition<Root>) -> Query {
        var query = self
        query.groupPredicate = groupPredicate.map { $0 && predicate } ?? predicate
        return query
    }

    func projectionShape(_ selections: [SelectionShape], distinct: Bool) -> ProjectionShape {
        ProjectionShape(selections: selections, distinct: distinct, query: shape, grouping: grouping,
                        having: groupPredicate?.shape)
    }

    /// A projection's bound values: the filter's, the group filter's, then limit and offset.
    var projectionArguments: [DatabaseValue] {
        var values = predicate?.values ?? []
        values += groupPredicate?.values ?? []
        if let limit { values.append(.integer(Int64(limit))) }
        if let offset { values.append(.integer(Int64(offset))) }
        return values
    }
}
