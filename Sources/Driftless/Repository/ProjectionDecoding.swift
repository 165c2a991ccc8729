/// What the `async` and the blocking repositories share to run projections and partial
/// updates: the checks and conversions between their public arguments and the executor's.
enum ProjectionDecoding {
    /// The shapes of a pack of selections (at least one).
    static func shapes<R: Record, each V: DatabaseValueConvertible>(_ selections: repeat Selection<R, each V>) throws -> [SelectionShape] {
        var shapes: [SelectionShape] = []
        for selection in repeat each selections { shapes.append(selection.shape) }
        if shapes.isEmpty {
            throw DriftlessError.invalidQuery(.emptySelection, record: "\(R.self)", detail: "select needs at least one column or aggregate")
        }
        return shapes
    }

    /// The shapes of a pack of selected columns.
    static func shapes<R: Record, each V: DatabaseValueConvertible>(_ keyPaths: repeat KeyPath<R, each V>) throws -> [SelectionShape] {
        try shapes(repeat R.column(each keyPaths))
    }

    /// A decoder of rows into a tuple of these types, one column each, in order.
    static func tuple<each V: DatabaseValueConvertible>(_ types: repeat (each V).Type) -> @Sendable (Row) throws -> (repeat each V) {
        { row in
            var index = 0
            func next<T: DatabaseValueConvertible>(_ type: T.Type) throws -> T {
                defer { index += 1 }
                return try row.decode(T.self, at: index)
            }
            return (repeat try next((each V).self))
        }
    }

    /// The declared columns of an `update(_:columns:)`, sorted, without duplicates.
    static func columns<R: Record>(_ keyPaths: [PartialKeyPath<R>], of _: R.Type) throws -> [Int] {
        var indexes: Set<Int> = []
        for keyPath in keyPaths {
            guard let index = R.schema.columnIndex(for: keyPath) else {
                throw DriftlessError.invalidQuery(.undeclaredColumn, record: "\(R.self)", column: "\(keyPath)",
                                                  detail: "\(keyPath) is not a declared column of \(R.self)")
            }
            indexes.insert(index)
        }
        return indexes.sorted()
    }

    /// The one row an aggregate without grouping answers, as its selections' values over no
    /// rows (a missing table): `COUNT` is 0, every other aggregate NULL.
    static func emptyAggregateRow<R: Record>(_ shapes: [SelectionShape], of _: R.Type) -> Row {
        let values: [DatabaseValue] = shapes.map { shape in
            switch shape {
            case .count, .aggregate(.count, _, _): .integer(0)
            default: .null
            }
        }
        let layout = RowLayout(table: R.schema.table, columnNames: shapes.map { "\($0)" }, primaryKeyIndexes: [],
                               sourceIndexes: Array(repeating: -1, count: values.count), defaults: values)
        return Row(source: NoRowSource(), layout: layout)
    }
}

/// A source with no columns, for rows made only of defaults.
private final class NoRowSource: RowSource {
    var columnCount: Int { 0 }
    func columnName(at index: Int) -> String { "" }
    func value(at index: Int) -> DatabaseValue { .null }
}
