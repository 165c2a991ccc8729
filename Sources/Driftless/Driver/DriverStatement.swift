/// A prepared statement of a backend, reused across executions.
public protocol DriverStatement: RowSource {
    /// Binds a value to a 1-based parameter.
    func bind(_ value: DatabaseValue, at index: Int) throws
    /// Runs the statement or advances to the next row; true while a row is available.
    func step() throws -> Bool
    /// Makes the statement ready to run again (bindings may be kept; all are rebound).
    func reset()
    /// The number of rows the last completed execution inserted, updated or deleted.
    var changedRowCount: Int { get }
}
