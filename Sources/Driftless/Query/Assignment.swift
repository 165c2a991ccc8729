/// One column assignment of an update by filter (`Repository/updateAll(_:set:)`).
///
/// ```swift
/// try await users.updateAll(User.filter(\.id == id), set: \.role <- "admin", \.visits += 1)
/// ```
///
/// `<-` stores a value; `+=`, `-=` and `*=` compute the new value from the stored one in the
/// database, in the same statement, so concurrent updates do not lose each other's change.
/// The value always travels as a bound parameter.
///
/// A column the database lacks holds its default in every row and cannot store anything
/// else: an assignment to it is left out of the statement. Assigning the default itself (or
/// `+= 0`, `*= 1`) loses nothing and is dropped quietly; any other assignment, arithmetic
/// ones included, follows the column's ``MissingColumnWritePolicy``: `.reject` throws
/// ``DriftlessError/Code/valueRejected`` before anything is written, `.warn` logs and counts
/// the dropped assignment, `.discard` drops it silently.
public struct Assignment<Root: Record>: Sendable {
    let shape: AssignmentShape
    let value: DatabaseValue
    /// Why the value cannot be stored, thrown when the update runs.
    let problem: DriftlessError?

    init<Value: DatabaseValueConvertible>(_ keyPath: KeyPath<Root, Value>, _ operation: AssignmentOperation, _ value: Value) {
        shape = AssignmentShape(column: Condition<Root>.column(keyPath), operation: operation)
        self.value = value.databaseValue
        problem = Condition<Root>.problem(keyPath, value)
    }

    /// Whether applying the assignment to `current` leaves it unchanged (a missing column's
    /// default): such an assignment to a missing column loses nothing.
    func leavesUnchanged(_ current: DatabaseValue) -> Bool {
        switch shape.operation {
        case .set: return value == current
        case .add, .subtract:
            if case .integer(0) = value { return true }
            if case .real(let real) = value { return real == 0 }
            return false
        case .multiply:
            if case .integer(1) = value { return true }
            if case .real(let real) = value { return real == 1 }
            return false
        }
    }
}

/// What an assignment does to its column, without its value: part of a plan's key.
enum AssignmentOperation: String, Hashable, Sendable {
    case set = ""
    case add = "+"
    case subtract = "-"
    case multiply = "*"
}

/// An assignment's structure, without its value.
@usableFromInline
struct AssignmentShape: Hashable, Sendable {
    let column: ColumnReference
    let operation: AssignmentOperation
}

infix operator <- : AssignmentPrecedence

/// Sets a column to a value (``Assignment``).
public func <- <Root: Record, Value: DatabaseValueConvertible>(lhs: KeyPath<Root, Value>, rhs: Value) -> Assignment<Root> {
    Assignment(lhs, .set, rhs)
}

/// Adds to a column's stored value, atomically (``Assignment``).
public func += <Root: Record, Value: DatabaseValueConvertible & Numeric>(lhs: KeyPath<Root, Value>, rhs: Value)
    -> Assignment<Root>
{
    Assignment(lhs, .add, rhs)
}

/// Subtracts from a column's stored value, atomically (``Assignment``).
public func -= <Root: Record, Value: DatabaseValueConvertible & Numeric>(lhs: KeyPath<Root, Value>, rhs: Value)
    -> Assignment<Root>
{
    Assignment(lhs, .subtract, rhs)
}

/// Multiplies a column's stored value, atomically (``Assignment``).
public func *= <Root: Record, Value: DatabaseValueConvertible & Numeric>(lhs: KeyPath<Root, Value>, rhs: Value)
    -> Assignment<Root>
{
    Assignment(lhs, .multiply, rhs)
}
