/// A request for rows of a record's table: a filter, an order, a limit and offset.
///
/// A query is a plain value; a ``Repository`` runs it. Its structure (without its values)
/// identifies a cached plan, so running the same query with other values prepares nothing.
///
/// ```swift
/// let page = try users.fetchAll(User.filter(\.plan == "pro").order(.ascending(\.name)).limit(20, offset: 40))
/// let n = try users.count(User.filter(.like(\.name, "A%")))
/// ```
public struct Query<Root: Record>: Sendable {
    @usableFromInline var predicate: Condition<Root>?
    var orderings: [Ordering<Root>] = []
    var limit: Int?
    @usableFromInline var offset: Int?
    /// Grouping columns and the group filter: only projections (`Repository/select(_:from:)`) use them.
    var grouping: [ColumnReference] = []
    var groupPredicate: Condition<Root>?

    /// A query over every row.
    public init() {}

    /// Keeps only the rows that also match `predicate`.
    public func filter(_ predicate: Condition<Root>) -> Query {
        var query = self
        query.predicate = self.predicate.map { $0 && predicate } ?? predicate
        return query
    }

    /// Sorts by these keys, replacing any earlier order.
    public func order(_ orderings: Ordering<Root>...) -> Query { order(orderings) }

    /// Sorts by these keys, replacing any earlier order.
    public func order(_ orderings: [Ordering<Root>]) -> Query {
        var query = self
        query.orderings = orderings
        return query
    }

    /// Returns at most `limit` rows, after skipping `offset` rows.
    public func limit(_ limit: Int, offset: Int? = nil) -> Query {
        var query = self
        query.limit = limit
        query.offset = offset
        return query
    }

    @usableFromInline
    var shape: QueryShape {
        QueryShape(
            predicate: predicate?.shape, orderings: orderings.map(\.shape),
            hasLimit: limit != nil, hasOffset: offset != nil)
    }

    /// The bound values in the order the rendered SQL uses them.
    @usableFromInline
    var arguments: [DatabaseValue] {
        var values = predicate?.values ?? []
        if let limit { values.append(.integer(Int64(limit))) }
        if let offset { values.append(.integer(Int64(offset))) }
        return values
    }
}

/// The structure of a query without its values.
@usableFromInline
struct QueryShape: Hashable, Sendable {
    var predicate: ConditionShape?
    var orderings: [OrderingShape]
    var hasLimit: Bool
    var hasOffset: Bool
}
