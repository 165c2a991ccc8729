/// A sort key of a ``Query``: a declared column, ascending or descending.
///
/// Ordering by a column the database lacks orders nothing (every row has its default), so
/// the projected plan leaves that key out.
public struct Ordering<Root: Record>: Sendable {
    let shape: OrderingShape

    /// Sorts by the column, smallest first.
    public static func ascending(_ keyPath: KeyPath<Root, some DatabaseValueConvertible>) -> Ordering {
        Ordering(shape: OrderingShape(column: Condition<Root>.column(keyPath), descending: false))
    }

    /// Sorts by the column, largest first.
    public static func descending(_ keyPath: KeyPath<Root, some DatabaseValueConvertible>) -> Ordering {
        Ordering(shape: OrderingShape(column: Condition<Root>.column(keyPath), descending: true))
    }
}

@usableFromInline
struct OrderingShape: Hashable, Sendable {
    let column: ColumnReference
    let descending: Bool
}
