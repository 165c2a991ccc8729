/// A prepared statement of a backend, reused across executions.
public protocol DriverStatement: RowSource {
    /// Binds a value to a 1-based parameter.
    func bind(_ value: DatabaseValue, at index: Int) throws
    /// Runs the statement or advances to the next row; true while a row is available.
    func step() throws -> Bool
    /// Makes the statement ready to run again (bindings may be kept; all are rebound).
    ///
    /// Called after every execution, including one abandoned before its last row (a cursor
    /// whose body threw): the connection must then be ready for the next statement.
    func reset()
    /// The number of rows the last completed execution inserted, updated or deleted.
    var changedRowCount: Int { get }
    /// Asks that the next execution hand out its rows as they arrive rather than buffering
    /// the whole result first, so that a cursor over any number of rows runs in bounded
    /// memory. ``Repository/forEach(_:_:)`` calls it; reads that return every row anyway
    /// (`fetchAll`, `find`) do not, since a backend may buffer faster than it streams.
    /// Backends that always step rows one at a time (SQLite) ignore it.
    func streamNextExecution()
    /// The number of values the statement binds (its highest placeholder), or nil when the
    /// backend does not know it before running (the server then checks).
    var parameterCount: Int? { get }
    /// Binds the value of raw SQL's placeholder `$position` (the one placeholder syntax of raw
    /// SQL on every backend). The default binds the position-th parameter, which is what
    /// `$n` is on PostgreSQL; SQLite numbers `$1`, `$2` by first appearance, so it looks
    /// the name up.
    func bindArgument(_ value: DatabaseValue, position: Int) throws
}

extension DriverStatement {
    public func streamNextExecution() {}
    public var parameterCount: Int? { nil }
    public func bindArgument(_ value: DatabaseValue, position: Int) throws { try bind(value, at: position) }
}
