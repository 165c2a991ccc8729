/// One result row, in the declared column order of the record being decoded.
///
/// ```swift
/// init(row: Row) throws {
///     id = try row.decode(at: 0)
///     name = try row.decode(at: 1)
///     email = try row.decode(at: 2)   // String?
/// }
/// ```
///
/// A value that does not convert to the property's type without loss throws
/// ``DriftlessError/typeMismatch(table:column:key:expected:found:)`` naming the table, the
/// column and the row's primary key.
public struct Row {
    @usableFromInline let source: any RowSource
    @usableFromInline let layout: RowLayout

    @inlinable
    init(source: any RowSource, layout: RowLayout) {
        self.source = source
        self.layout = layout
    }

    /// The number of columns: the record's declared columns.
    public var count: Int { layout.columnNames.count }

    /// The name of the declared column at `index`.
    public func columnName(at index: Int) -> String { layout.columnNames[index] }

    /// The stored value of the declared column at `index`.
    @inlinable
    public func databaseValue(at index: Int) -> DatabaseValue {
        guard let sourceIndexes = layout.sourceIndexes else { return source.value(at: index) }
        if let overflowIndexes = layout.overflowIndexes, overflowIndexes[index] >= 0,
           case .text(let json) = source.value(at: overflowIndexes[index])
        {
            // A value kept in the overflow is newer than the column's (every write of the
            // column removes it); one that is not the codec's reads as its text, so that
            // decoding fails naming the column rather than guessing.
            return OverflowCodec.decode(json) ?? .text(json)
        }
        let sourceIndex = sourceIndexes[index]
        return sourceIndex >= 0 ? source.value(at: sourceIndex) : layout.defaults[index]
    }

    /// The value of the declared column at `index`, converted to `Value`.
    @inlinable
    public func decode<Value: DatabaseValueConvertible>(_ type: Value.Type = Value.self, at index: Int) throws -> Value {
        if let decoded = Value.read(from: self, at: index) { return decoded }
        throw decodingError(Value.self, at: index, databaseValue(at: index))
    }

    // MARK: Typed readers

    // Each reads the result directly when the row is in declaration order (every plan's
    // rows), and answers nil otherwise, or when the stored value is of another storage
    // class: the caller then converts ``databaseValue(at:)``.

    /// Whether the declared column at `index` holds NULL.
    @inlinable
    public func isNull(at index: Int) -> Bool {
        guard layout.sourceIndexes == nil else { return databaseValue(at: index).isNull }
        return source.isNull(at: index)
    }

    /// The declared column's value at `index` if it is stored as an integer.
    @inlinable
    public func int64(at index: Int) -> Int64? {
        guard layout.sourceIndexes == nil else { return nil }
        return source.int64(at: index)
    }

    /// The declared column's value at `index` if it is stored as a real.
    @inlinable
    public func double(at index: Int) -> Double? {
        guard layout.sourceIndexes == nil else { return nil }
        return source.double(at: index)
    }

    /// The declared column's value at `index` if it is stored as valid UTF-8 text.
    @inlinable
    public func text(at index: Int) -> String? {
        guard layout.sourceIndexes == nil else { return nil }
        return source.text(at: index)
    }

    /// The value of the declared column named `name`, converted to `Value`.
    public func decode<Value: DatabaseValueConvertible>(_ type: Value.Type = Value.self, named name: String) throws -> Value {
        guard let index = layout.columnNames.firstIndex(where: { $0.lowercased() == name.lowercased() }) else {
            throw DriftlessError.invalidQuery(.undeclaredColumn, column: name,
                                              detail: "\(layout.table) has no declared column \"\(name)\"")
        }
        return try decode(Value.self, at: index)
    }

    /// The primary key of the row, rendered for error messages (`id=42`).
    public var keyDescription: String {
        guard !layout.primaryKeyIndexes.isEmpty else { return "(table has no declared primary key)" }
        return layout.primaryKeyIndexes.map { "\(layout.columnNames[$0])=\(databaseValue(at: $0))" }
            .joined(separator: ", ")
    }

    @usableFromInline
    func decodingError(_ type: Any.Type, at index: Int, _ value: DatabaseValue) -> DriftlessError {
        let column = layout.columnNames[index]
        if case .null = value {
            return .unexpectedNull(table: layout.table, column: column, key: keyDescription)
        }
        return .typeMismatch(table: layout.table, column: column, key: keyDescription,
                             expected: "\(type)", found: value)
    }
}
