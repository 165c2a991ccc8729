/// Raw SQL written against a record, whose interpolations are typed: the record's table,
/// its columns and selections, and values, which always travel as bound parameters, never
/// as text in the statement.
///
/// ```swift
/// let perDomain = try await users.select(literal: """
///     SELECT MIN(\(User.column(\.id))), \(\.domain) FROM \(User.self)
///     WHERE \(\.visits) > \(minimum) GROUP BY \(\.domain)
///     """, as: Int64?.self, String.self)
/// ```
///
/// A column the table lacks is rendered as its declared default (`CAST(<default> AS type)`,
/// which `GROUP BY` and `ORDER BY` read as an expression, not a column position), so the
/// statement keeps working while the column is missing, by the same rule as every other
/// query. Values are placeholders; the text between interpolations is the caller's, and the
/// checks of raw SQL apply to the whole (one statement, no NUL, arguments matching).
public struct RecordSQL<Root: Record>: ExpressibleByStringInterpolation, Sendable {
    enum Fragment: Sendable {
        case text(String)
        case table
        case selection(SelectionShape)
        case value(DatabaseValue, problem: DriftlessError?)
    }

    var fragments: [Fragment]

    public init(stringLiteral value: String) {
        fragments = [.text(value)]
    }

    public init(stringInterpolation: Interpolation) {
        fragments = stringInterpolation.fragments
    }

    public struct Interpolation: StringInterpolationProtocol, Sendable {
        var fragments: [Fragment] = []

        public init(literalCapacity: Int, interpolationCount: Int) {}

        public mutating func appendLiteral(_ literal: String) {
            if !literal.isEmpty { fragments.append(.text(literal)) }
        }

        /// The record's table, quoted.
        public mutating func appendInterpolation(_ record: Root.Type) {
            fragments.append(.table)
        }

        /// A declared column: its quoted name, or its default while the table lacks it.
        public mutating func appendInterpolation<Value: DatabaseValueConvertible>(_ keyPath: KeyPath<Root, Value>) {
            fragments.append(.selection(.column(Condition<Root>.column(keyPath))))
        }

        /// A column or an aggregate over one (``Selection``).
        public mutating func appendInterpolation<Value>(_ selection: Selection<Root, Value>) {
            fragments.append(.selection(selection.shape))
        }

        /// A value, bound as a parameter.
        public mutating func appendInterpolation<Value: DatabaseValueConvertible>(_ value: Value) {
            let problem = value.storageProblem.map {
                DriftlessError.unrepresentableValue(value: value.databaseValue, problem: $0)
            }
            fragments.append(.value(value.databaseValue, problem: problem))
        }
    }

    /// The bound values, in order.
    var arguments: [DatabaseValue] {
        fragments.compactMap { if case .value(let value, _) = $0 { value } else { nil } }
    }

    var problem: DriftlessError? {
        fragments.lazy.compactMap { if case .value(_, let problem) = $0 { problem } else { nil } }.first
    }
}

extension Planner {
    /// The SQL text of a ``RecordSQL`` against what is known of the table.
    func render(_ sql: RecordSQL<R>) throws -> String {
        var builder = SQLBuilder(dialect: dialect)
        for fragment in sql.fragments {
            switch fragment {
            case .text(let text): builder.append(text)
            case .table: builder.append(dialect.quote(schema.table))
            case .selection(.column(.declared(let index))) where !present[index]:
                builder.append("CAST(" + defaultLiteral(index) + " AS " + dialect.typeName(schema.columns[index].type) + ")")
            case .selection(let selection): builder.append(try selectionExpression(selection))
            case .value: builder.appendPlaceholder()
            }
        }
        return builder.text
    }
}
