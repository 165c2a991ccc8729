/// How the columns of a result line up with the columns of a record.
///
/// Plans produce rows in declaration order, so their layout is the identity. A raw SQL
/// query may return the columns in any order, or not at all: its layout maps each declared
/// column to a result column by name, or to the column's default.
public final class RowLayout: Sendable {
    @usableFromInline let table: TableName
    @usableFromInline let columnNames: [String]
    @usableFromInline let primaryKeyIndexes: [Int]
    /// For each declared column, the result column holding it, or -1 for "use the default".
    /// Nil when the result is already in declaration order.
    @usableFromInline let sourceIndexes: [Int]?
    @usableFromInline let defaults: [DatabaseValue]
    /// For each declared column, the result column holding the JSON of the value kept for it
    /// in the overflow (NULL when none), or -1. Nil when no column reads from the overflow.
    @usableFromInline let overflowIndexes: [Int]?
    /// How the `Decodable` path maps coding keys to these columns, learned from the first row.
    let codingKeyColumns: CodingKeyColumns

    init(table: TableName, columnNames: [String], primaryKeyIndexes: [Int],
         sourceIndexes: [Int]? = nil, defaults: [DatabaseValue] = [], overflowIndexes: [Int]? = nil) {
        self.table = table
        self.columnNames = columnNames
        self.primaryKeyIndexes = primaryKeyIndexes
        self.sourceIndexes = sourceIndexes
        self.defaults = defaults
        self.overflowIndexes = overflowIndexes
        codingKeyColumns = CodingKeyColumns(columnCount: columnNames.count)
    }

    /// The layout of a plan's rows for a record; `overflowIndexes` as for the stored property
    /// (the result's trailing columns).
    convenience init<R>(schema: RecordSchema<R>, overflowIndexes: [Int]? = nil) {
        self.init(table: schema.table, columnNames: schema.columns.map(\.name),
                  primaryKeyIndexes: schema.primaryKeyIndexes,
                  sourceIndexes: overflowIndexes.map { _ in Array(schema.columns.indices) },
                  overflowIndexes: overflowIndexes)
    }

    /// The layout of a raw result: declared columns found by name, defaults for the rest.
    convenience init<R>(schema: RecordSchema<R>, source: some RowSource, caseInsensitive: Bool) {
        var resultIndexes: [IdentifierKey: Int] = [:]
        for index in (0..<source.columnCount).reversed() {
            resultIndexes[IdentifierKey(source.columnName(at: index), caseInsensitive: caseInsensitive)] = index
        }
        let mapping = schema.columns.map { column in
            resultIndexes[IdentifierKey(column.name, caseInsensitive: caseInsensitive)] ?? -1
        }
        self.init(table: schema.table, columnNames: schema.columns.map(\.name),
                  primaryKeyIndexes: schema.primaryKeyIndexes, sourceIndexes: mapping,
                  defaults: schema.columns.map { $0.defaultValue ?? .null })
    }
}
