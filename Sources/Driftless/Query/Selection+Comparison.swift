/// Comparisons of selections: with a value (`User.count() > 1` in a `having`,
/// `User.column(\.visits) >= 10`), or with another selection of the same record, column to
/// column (`User.column(\.updatedAt) > User.column(\.createdAt)`), whose types may differ
/// as SQL's do (an integer column with a real one).
///
/// A missing column is its default on either side. Comparing with nil is never true (SQL);
/// use ``Condition/isNull(_:)`` for that.
extension Selection {
    static func compare(_ lhs: Selection, _ op: ComparisonOperator, _ rhs: Value) -> Condition<Root> {
        if let problem = rhs.storageProblem {
            return Condition(.constant(false), problem: DriftlessError.unrepresentableValue(
                column: nil, value: rhs.databaseValue, problem: problem))
        }
        return Condition(.selection(lhs.shape, op), [rhs.databaseValue])
    }

    public static func == (lhs: Selection, rhs: Value) -> Condition<Root> { compare(lhs, .equal, rhs) }
    public static func != (lhs: Selection, rhs: Value) -> Condition<Root> { compare(lhs, .notEqual, rhs) }
    public static func < (lhs: Selection, rhs: Value) -> Condition<Root> { compare(lhs, .less, rhs) }
    public static func <= (lhs: Selection, rhs: Value) -> Condition<Root> { compare(lhs, .lessOrEqual, rhs) }
    public static func > (lhs: Selection, rhs: Value) -> Condition<Root> { compare(lhs, .greater, rhs) }
    public static func >= (lhs: Selection, rhs: Value) -> Condition<Root> { compare(lhs, .greaterOrEqual, rhs) }

    public static func == <Other>(lhs: Selection, rhs: Selection<Root, Other>) -> Condition<Root> { Condition(.selections(lhs.shape, .equal, rhs.shape)) }
    public static func != <Other>(lhs: Selection, rhs: Selection<Root, Other>) -> Condition<Root> { Condition(.selections(lhs.shape, .notEqual, rhs.shape)) }
    public static func < <Other>(lhs: Selection, rhs: Selection<Root, Other>) -> Condition<Root> { Condition(.selections(lhs.shape, .less, rhs.shape)) }
    public static func <= <Other>(lhs: Selection, rhs: Selection<Root, Other>) -> Condition<Root> { Condition(.selections(lhs.shape, .lessOrEqual, rhs.shape)) }
    public static func > <Other>(lhs: Selection, rhs: Selection<Root, Other>) -> Condition<Root> { Condition(.selections(lhs.shape, .greater, rhs.shape)) }
    public static func >= <Other>(lhs: Selection, rhs: Selection<Root, Other>) -> Condition<Root> { Condition(.selections(lhs.shape, .greaterOrEqual, rhs.shape)) }
}
