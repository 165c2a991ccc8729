/// A backend's current result row, read column by column.
///
/// Backends implement it on their statement type; ``Row`` reads through it. Only valid
/// until the statement steps again.
///
/// ``value(at:)`` is all a backend must provide. The typed readers (``isNull(at:)``,
/// ``int64(at:)``, ``double(at:)``, ``text(at:)``) let the common property types decode
/// without building a ``DatabaseValue`` per column; their defaults go through
/// ``value(at:)``, and a backend overrides them with direct reads of its result.
public protocol RowSource: AnyObject {
    /// The number of columns of the result.
    var columnCount: Int { get }
    /// The name of a result column.
    func columnName(at index: Int) -> String
    /// The value of a column of the current row.
    func value(at index: Int) -> DatabaseValue
    /// Whether the column holds NULL.
    func isNull(at index: Int) -> Bool
    /// The column's value if it is stored as an integer; nil otherwise (NULL, a real, text:
    /// the caller then converts ``value(at:)`` by its lenient rules).
    func int64(at index: Int) -> Int64?
    /// The column's value if it is stored as a real; nil otherwise.
    func double(at index: Int) -> Double?
    /// The column's value if it is stored as valid UTF-8 text; nil otherwise.
    func text(at index: Int) -> String?
}

extension RowSource {
    public func isNull(at index: Int) -> Bool { value(at: index).isNull }

    public func int64(at index: Int) -> Int64? {
        if case .integer(let integer) = value(at: index) { return integer }
        return nil
    }

    public func double(at index: Int) -> Double? {
        if case .real(let real) = value(at: index) { return real }
        return nil
    }

    public func text(at index: Int) -> String? {
        if case .text(let text) = value(at: index) { return text }
        return nil
    }
}
