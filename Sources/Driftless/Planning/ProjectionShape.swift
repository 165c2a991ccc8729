/// The structure of a projection (`Repository/select(_:from:)`) without its values: what
/// it selects, from which rows, grouped how.
@usableFromInline
struct ProjectionShape: Hashable, Sendable {
    var selections: [SelectionShape]
    var distinct: Bool
    var query: QueryShape
    var grouping: [ColumnReference]
    var having: ConditionShape?
}
