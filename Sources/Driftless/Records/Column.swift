/// The declaration of one column of a record, as written in its ``RecordSchema``.
///
/// `Column("plan", \.plan, default: "free")` says the column is named `plan`, holds the
/// record's `plan` property, and reads as `"free"` while the database lacks it.
public struct Column<Root, Value: DatabaseValueConvertible>: Sendable {
    let definition: ColumnDefinition<Root>

    /// Declares a column.
    ///
    /// - Parameters:
    ///   - name: The column's name in the database.
    ///   - keyPath: The record property it holds.
    ///   - primaryKey: Whether the column is (part of) the primary key.
    ///   - defaultValue: The value the column takes when the database does not have it. May be
    ///     omitted only for optional properties (they read as nil) and primary key columns.
    ///   - onMissingWrite: What a write does with a value other than the default while the
    ///     database lacks the column.
    ///   - previousNames: Names the column had before a rename, oldest last (see
    ///     ``PreviousName``).
    public init(
        _ name: String,
        _ keyPath: KeyPath<Root, Value> & Sendable,
        primaryKey: Bool = false,
        default defaultValue: Value? = nil,
        onMissingWrite: MissingColumnWritePolicy = .warn,
        previousNames: [PreviousName<Value>] = []
    ) {
        let implicitDefault: DatabaseValue? = Value.isOptional ? .null : nil
        definition = ColumnDefinition(
            name: name,
            type: Value.columnType,
            isNullable: Value.isOptional,
            isPrimaryKey: primaryKey,
            defaultValue: defaultValue.map(\.databaseValue) ?? implicitDefault,
            defaultProblem: defaultValue?.storageProblem,
            writePolicy: onMissingWrite,
            previousNames: previousNames.map(\.erased),
            keyPath: keyPath,
            encode: { record in record[keyPath: keyPath].databaseValue },
            encodeForWriting: { record throws(DriftlessError) in
                let value = record[keyPath: keyPath]
                if let problem = value.storageProblem {
                    throw DriftlessError.unrepresentableValue(column: name, problem: problem)
                }
                return value.databaseValue
            }
        )
    }
}

/// A column declaration with its value type erased, as ``RecordSchema`` stores it.
public struct ColumnDefinition<Root>: Sendable {
    public let name: String
    public let type: ColumnType
    public let isNullable: Bool
    public let isPrimaryKey: Bool
    /// The value the column reads as while the database lacks it; nil if none was declared.
    public let defaultValue: DatabaseValue?
    /// Why the declared default cannot be stored (a `Date` out of range), if it cannot.
    let defaultProblem: String?
    public let writePolicy: MissingColumnWritePolicy
    /// The names the column had before a rename.
    public let previousNames: [PreviousColumnName]
    let keyPath: AnyKeyPath & Sendable
    /// The property's value as stored, for comparisons and messages.
    let encode: @Sendable (Root) -> DatabaseValue
    /// The property's value as stored, or ``DriftlessError/Code/unrepresentableValue`` naming
    /// the column when it has a ``DatabaseValueConvertible/storageProblem``: what writes bind.
    let encodeForWriting: @Sendable (Root) throws(DriftlessError) -> DatabaseValue
}

/// Collects the `Column` declarations of a ``RecordSchema``.
@resultBuilder
public enum ColumnsBuilder<Root> {
    public static func buildExpression<Value>(_ column: Column<Root, Value>) -> [ColumnDefinition<Root>] {
        [column.definition]
    }
    public static func buildBlock(_ components: [ColumnDefinition<Root>]...) -> [ColumnDefinition<Root>] {
        components.flatMap { $0 }
    }
}
