/// A typed value a query selects per row (or per group): a column, or an aggregate over one.
///
/// Build selections from the record type, and pass them to `Repository/select(_:from:)`;
/// each row comes back as a tuple of their values:
///
/// ```swift
/// let perDomain = try await users.select(User.column(\.domain), User.count(),
///                                        from: User.all().group(by: \.domain).having(User.count() > 1))
/// // [(String, Int)]
/// ```
///
/// A column the database lacks is its default in every row, in selections as everywhere:
/// `User.column(\.domain)` reads the default, `User.max(\.domain)` is the default when there
/// are rows, `User.sum(\.visits)` is `rows × default`, `User.count(distinct: \.domain)` is
/// 1 (0 for a NULL default) when there are rows.
public struct Selection<Root: Record, Value: DatabaseValueConvertible>: Sendable {
    let shape: SelectionShape

    init(_ shape: SelectionShape) { self.shape = shape }
}

/// What a selection computes, without types: part of a plan's key.
@usableFromInline
enum SelectionShape: Hashable, Sendable {
    case column(ColumnReference)
    /// `COUNT(*)`.
    case count
    case aggregate(AggregateFunction, ColumnReference, distinct: Bool)
}

/// The aggregate functions a ``Selection`` can compute.
@usableFromInline
enum AggregateFunction: String, Hashable, Sendable {
    case count = "COUNT"
    case min = "MIN"
    case max = "MAX"
    case sum = "SUM"
    case average = "AVG"
}

extension Record {
    /// A column's value.
    public static func column<Value>(_ keyPath: KeyPath<Self, Value>) -> Selection<Self, Value> {
        Selection(.column(Condition<Self>.column(keyPath)))
    }

    /// The number of rows (of each group, when grouped).
    public static func count() -> Selection<Self, Int> { Selection(.count) }

    /// The number of rows whose column is not NULL.
    public static func count<Value>(_ keyPath: KeyPath<Self, Value>) -> Selection<Self, Int> {
        Selection(.aggregate(.count, Condition<Self>.column(keyPath), distinct: false))
    }

    /// The number of distinct non-NULL values of the column.
    public static func count<Value>(distinct keyPath: KeyPath<Self, Value>) -> Selection<Self, Int> {
        Selection(.aggregate(.count, Condition<Self>.column(keyPath), distinct: true))
    }

    /// The smallest non-NULL value of the column; nil when there is none (no rows).
    public static func min<Value>(_ keyPath: KeyPath<Self, Value>) -> Selection<Self, Value?> {
        aggregate(.min, keyPath)
    }

    /// The smallest non-NULL value of an optional column; nil when there is none.
    public static func min<Value>(_ keyPath: KeyPath<Self, Value?>) -> Selection<Self, Value?> {
        aggregate(.min, keyPath)
    }

    /// The largest non-NULL value of the column; nil when there is none (no rows).
    public static func max<Value>(_ keyPath: KeyPath<Self, Value>) -> Selection<Self, Value?> {
        aggregate(.max, keyPath)
    }

    /// The largest non-NULL value of an optional column; nil when there is none.
    public static func max<Value>(_ keyPath: KeyPath<Self, Value?>) -> Selection<Self, Value?> {
        aggregate(.max, keyPath)
    }

    /// The sum of the column's non-NULL values; nil when there is none (SQL's `SUM`).
    /// Booleans sum as 1 and 0.
    public static func sum<Value>(_ keyPath: KeyPath<Self, Value>) -> Selection<Self, Value?> {
        aggregate(.sum, keyPath)
    }

    /// The number of true values of a boolean column; nil when there are no rows.
    public static func sum(_ keyPath: KeyPath<Self, Bool>) -> Selection<Self, Int?> {
        aggregate(.sum, keyPath)
    }

    /// The sum of an optional column's non-NULL values; nil when there is none.
    public static func sum<Value>(_ keyPath: KeyPath<Self, Value?>) -> Selection<Self, Value?> {
        aggregate(.sum, keyPath)
    }

    /// The mean of the column's non-NULL values as a `Double`; nil when there is none.
    public static func average(_ keyPath: KeyPath<Self, some DatabaseValueConvertible>) -> Selection<Self, Double?> {
        Selection(.aggregate(.average, Condition<Self>.column(keyPath), distinct: false))
    }

    private static func aggregate<Value, Result>(_ function: AggregateFunction, _ keyPath: KeyPath<Self, Value>)
        -> Selection<Self, Result>
    {
        Selection(.aggregate(function, Condition<Self>.column(keyPath), distinct: false))
    }
}
