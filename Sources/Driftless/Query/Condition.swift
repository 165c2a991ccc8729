/// A condition on a record's columns, for ``Query/filter(_:)``.
///
/// Build predicates from key paths of declared columns; values always travel as bound
/// parameters:
///
/// ```swift
/// User.filter(\.plan == "pro" && !(\.name == "root"))
/// User.filter(.in(\.id, [1, 2, 3]) || .like(\.name, "A%"))
/// User.filter(\.email == nil)            // IS NULL
/// ```
///
/// A column the database lacks behaves as a column whose every value is its default: the
/// predicate compares the default instead (see ``Query``).
public struct Condition<Root: Record>: Sendable {
    let shape: ConditionShape
    let values: [DatabaseValue]
    /// The first value that cannot be stored (``DatabaseValueConvertible/storageProblem``), as
    /// the error running the query throws: comparing it would compare some other value.
    let problem: DriftlessError?

    init(_ shape: ConditionShape, _ values: [DatabaseValue] = [], problem: DriftlessError? = nil) {
        self.shape = shape
        self.values = values
        self.problem = problem
    }

    /// The error for a value of `keyPath` that cannot be stored, if `value` is one.
    static func problem(_ keyPath: AnyKeyPath, _ value: some DatabaseValueConvertible) -> DriftlessError? {
        guard let problem = value.storageProblem else { return nil }
        let column = Root.schema.columnIndex(for: keyPath).map { Root.schema.columns[$0].name }
        return DriftlessError.unrepresentableValue(column: column, value: value.databaseValue, problem: problem)
    }

    /// A predicate that every row (`true`) or no row (`false`) satisfies.
    public static func constant(_ value: Bool) -> Condition { Condition(.constant(value)) }

    /// The column's value is one of `values` (no row matches an empty list).
    public static func `in`<Value: DatabaseValueConvertible>(
        _ keyPath: KeyPath<Root, Value>, _ values: some Sequence<Value>
    ) -> Condition {
        let operands = Array(values)
        let problem = operands.lazy.compactMap { Self.problem(keyPath, $0) }.first
        let values = operands.map(\.databaseValue)
        return Condition(.in(column(keyPath), count: values.count), values, problem: problem)
    }


    /// The column is NULL.
    public static func isNull(_ keyPath: KeyPath<Root, some DatabaseValueConvertible>) -> Condition {
        Condition(.isNull(column(keyPath)))
    }

    /// The column is not NULL.
    public static func isNotNull(_ keyPath: KeyPath<Root, some DatabaseValueConvertible>) -> Condition {
        !isNull(keyPath)
    }

    static func compare<Value: DatabaseValueConvertible>(_ keyPath: AnyKeyPath, _ op: ComparisonOperator, _ operand: Value)
        -> Condition
    {
        if let problem = problem(keyPath, operand) { return Condition(.constant(false), problem: problem) }
        let value = operand.databaseValue
        let column = column(keyPath)
        if case .null = value {
            // `column = NULL` is never true in SQL; what a Swift reader means is IS NULL.
            switch op {
            case .equal: return Condition(.isNull(column))
            case .notEqual: return !Condition(.isNull(column))
            default: break
            }
        }
        return Condition(.comparison(column, op), [value])
    }

    static func column(_ keyPath: AnyKeyPath) -> ColumnReference {
        if let index = Root.schema.columnIndex(for: keyPath) { return .declared(index) }
        return .undeclared("\(keyPath)")
    }
}

/// A column a predicate or ordering names: a declared column, or a key path that is not one
/// (reported as ``DriftlessError/invalidQuery(_:)`` when the query runs).
@usableFromInline
enum ColumnReference: Hashable, Sendable {
    case declared(Int)
    case undeclared(String)
}

@usableFromInline
enum ComparisonOperator: String, Hashable, Sendable {
    case equal = "="
    case notEqual = "<>"
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
}

/// The structure of a predicate without its values: part of the key that finds its plan.
@usableFromInline
indirect enum ConditionShape: Hashable, Sendable {
    case comparison(ColumnReference, ComparisonOperator)
    case `in`(ColumnReference, count: Int)
    /// `LIKE`, with an escape character or none, case-sensitive or folding ASCII case.
    case like(ColumnReference, escape: Unicode.Scalar?, caseInsensitive: Bool)
    /// Equality folding ASCII case.
    case equalIgnoringCase(ColumnReference)
    case isNull(ColumnReference)
    case and(ConditionShape, ConditionShape)
    case or(ConditionShape, ConditionShape)
    case not(ConditionShape)
    case constant(Bool)
    /// A selection (a column or an aggregate) compared with a bound value.
    case selection(SelectionShape, ComparisonOperator)
    /// Two selections compared with each other (column to column).
    case selections(SelectionShape, ComparisonOperator, SelectionShape)
    /// A test of a top-level field of a JSON column (a value bound for strings and numbers).
    case json(ColumnReference, String, JSONFieldKind)
}

public func && <Root>(lhs: Condition<Root>, rhs: Condition<Root>) -> Condition<Root> {
    Condition(.and(lhs.shape, rhs.shape), lhs.values + rhs.values, problem: lhs.problem ?? rhs.problem)
}

public func || <Root>(lhs: Condition<Root>, rhs: Condition<Root>) -> Condition<Root> {
    Condition(.or(lhs.shape, rhs.shape), lhs.values + rhs.values, problem: lhs.problem ?? rhs.problem)
}

public prefix func ! <Root>(predicate: Condition<Root>) -> Condition<Root> {
    Condition(.not(predicate.shape), predicate.values, problem: predicate.problem)
}

public func == <Root: Record, Value: DatabaseValueConvertible>(lhs: KeyPath<Root, Value>, rhs: Value) -> Condition<Root> {
    .compare(lhs, .equal, rhs)
}

public func != <Root: Record, Value: DatabaseValueConvertible>(lhs: KeyPath<Root, Value>, rhs: Value) -> Condition<Root> {
    .compare(lhs, .notEqual, rhs)
}

public func < <Root: Record, Value: DatabaseValueConvertible>(lhs: KeyPath<Root, Value>, rhs: Value) -> Condition<Root> {
    .compare(lhs, .less, rhs)
}

public func <= <Root: Record, Value: DatabaseValueConvertible>(lhs: KeyPath<Root, Value>, rhs: Value) -> Condition<Root> {
    .compare(lhs, .lessOrEqual, rhs)
}

public func > <Root: Record, Value: DatabaseValueConvertible>(lhs: KeyPath<Root, Value>, rhs: Value) -> Condition<Root> {
    .compare(lhs, .greater, rhs)
}

public func >= <Root: Record, Value: DatabaseValueConvertible>(lhs: KeyPath<Root, Value>, rhs: Value) -> Condition<Root> {
    .compare(lhs, .greaterOrEqual, rhs)
}
