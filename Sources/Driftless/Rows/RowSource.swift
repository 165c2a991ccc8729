/// A backend's current result row, read column by column.
///
/// Backends implement it on their statement type; ``Row`` reads through it. Only valid
/// until the statement steps again.
public protocol RowSource: AnyObject {
    /// The number of columns of the result.
    var columnCount: Int { get }
    /// The name of a result column.
    func columnName(at index: Int) -> String
    /// The value of a column of the current row.
    func value(at index: Int) -> DatabaseValue
}
