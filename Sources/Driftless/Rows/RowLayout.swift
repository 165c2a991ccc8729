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
    /// How the `Decodable` path maps coding keys to these columns, learned from the first row.
    let codingKeyColumns: CodingKeyColumns

    init(table: TableName, columnNames: [String], primaryKeyIndexes: [Int],
         sourceIndexes: [Int]? = nil, defaults: [DatabaseValue] = []) {
        self.table = table
        self.columnNames = columnNames
        self.primaryKeyIndexes = primaryKeyIndexes
        self.sourceIndexes = sourceIndexes
        self.defaults = defaults
        codingKeyColumns = CodingKeyColumns(columnCount: columnNames.count)
    }

    /// The layout of a plan's rows for a record.
    convenience init<R>(schema: RecordSchema<R>) {
        self.init(table: schema.table, columnNames: schema.columns.map(\.name),
                  primaryKeyIndexes: schema.primaryKeyIndexes)
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
