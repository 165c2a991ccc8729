/// What a JSON field test checks (`Condition/json(_:_:_:)`).
public enum JSONFieldTest: Sendable, Hashable {
    /// The field is a JSON string equal to this one.
    case string(String)
    /// The field is a JSON number numerically equal to this one (`1` matches `1.0`).
    case number(Double)
    /// The field is `true` or `false`.
    case boolean(Bool)
    /// The field is JSON `null` (present, holding null).
    case null
    /// The document has no such field.
    case missing
}

/// A JSON field test without its value: part of a plan's key.
public enum JSONFieldKind: Sendable, Hashable {
    case string, number, boolean(Bool), null, missing
}

extension Condition {
    /// Tests a top-level field of a JSON column (``DatabaseJSONValue``), with the same
    /// semantics on every backend: a field matches a string only if it is a JSON string, a
    /// number only if it is a JSON number, and so on; `.null` is a present JSON null,
    /// `.missing` an absent key (neither matches the other). A missing column is its default
    /// document in every row.
    ///
    /// ```swift
    /// User.filter(.json(\.preferences, "theme", .string("dark")))
    /// ```
    public static func json<Value: DatabaseJSONValue>(_ keyPath: KeyPath<Root, Value>, _ field: String,
                                                      _ test: JSONFieldTest) -> Condition {
        json(column(keyPath), field, test)
    }

    /// Tests a top-level field of an optional JSON column (a NULL column matches nothing).
    public static func json<Value: DatabaseJSONValue>(_ keyPath: KeyPath<Root, Value?>, _ field: String,
                                                      _ test: JSONFieldTest) -> Condition {
        json(column(keyPath), field, test)
    }

    private static func json(_ column: ColumnReference, _ field: String, _ test: JSONFieldTest) -> Condition {
        if field.unicodeScalars.contains(where: { $0 == "\"" || $0 == "\0" }) {
            return Condition(.constant(false), problem: DriftlessError.invalidQuery(
                .invalidPattern, record: "\(Root.self)", detail: "a JSON field name holds a double quote or NUL, which SQLite's JSON paths cannot name"))
        }
        return switch test {
        case .string(let text): Condition(.json(column, field, .string), [.text(text)])
        case .number(let number):
            Condition(.json(column, field, .number), [Int64(exactly: number).map(DatabaseValue.integer) ?? .real(number)])
        case .boolean(let value): Condition(.json(column, field, .boolean(value)))
        case .null: Condition(.json(column, field, .null))
        case .missing: Condition(.json(column, field, .missing))
        }
    }
}
