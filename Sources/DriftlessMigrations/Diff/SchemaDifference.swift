import Driftless

/// One way the declared records and the live schema disagree.
public enum SchemaDifference: Sendable, Hashable, CustomStringConvertible {
    /// A table some record declares does not exist.
    case missingTable(TableName, records: [String])
    /// A declared column does not exist in its (existing) table.
    case missingColumn(TableName, column: String, type: ColumnType, records: [String])
    /// An index a record declares (``RecordIndex``) that its table does not have.
    case missingIndex(TableName, index: String, columns: [String], records: [String])
    /// A table in the records' schemas that no record declares. Reported, never dropped.
    case extraTable(TableName)
    /// A column of a declared table that no record declares. Reported, never dropped: during
    /// expand/contract a column leaves the code before it leaves the database.
    case extraColumn(TableName, column: String)
    /// The live column's type does not hold the declared type losslessly.
    case typeMismatch(TableName, column: String, declared: ColumnType, live: String, records: [String])
    /// A non-optional declared column the database lets be NULL (decoding a NULL fails), or
    /// an optional one the database requires (inserting nil fails).
    case nullabilityMismatch(TableName, column: String, declaredNullable: Bool, records: [String])
    /// The declared primary key is not the live one.
    case primaryKeyMismatch(TableName, declared: [String], live: [String], records: [String])
    /// The record declares a default the live column does not have (`live` is its default
    /// as the database spells it, nil for none).
    case defaultMismatch(TableName, column: String, declared: DatabaseValue, live: String?, records: [String])
    /// A declared index exists under its name with other columns or another uniqueness.
    case indexMismatch(TableName, index: String, declared: [String], declaredUnique: Bool, live: [String], liveUnique: Bool,
                       records: [String])

    public var description: String {
        func by(_ records: [String]) -> String { "declared by " + records.joined(separator: ", ") }
        switch self {
        case .missingTable(let table, let records):
            return "missing table \(table) (\(by(records)))"
        case .missingColumn(let table, let column, let type, let records):
            return "missing column \(table).\(column) (\(type.rawValue), \(by(records)))"
        case .missingIndex(let table, let index, let columns, let records):
            return "missing index \(index) on \(table) (\(columns.joined(separator: ", "))) (\(by(records)))"
        case .extraTable(let table):
            return "extra table \(table): no record declares it (left as it is)"
        case .extraColumn(let table, let column):
            return "extra column \(table).\(column): no record declares it (left as it is)"
        case .typeMismatch(let table, let column, let declared, let live, let records):
            return "type mismatch \(table).\(column): \(by(records)) as \(declared.rawValue), the database has \(live)"
        case .nullabilityMismatch(let table, let column, let declaredNullable, let records):
            return declaredNullable
                ? "nullability \(table).\(column): optional (\(by(records))) but NOT NULL without a default in the database; inserting nil fails"
                : "nullability \(table).\(column): not optional (\(by(records))) but nullable in the database; reading a NULL fails"
        case .primaryKeyMismatch(let table, let declared, let live, let records):
            return "primary key \(table): (\(declared.joined(separator: ", "))) \(by(records)), the database has ("
                + live.joined(separator: ", ") + ")"
        case .defaultMismatch(let table, let column, let declared, let live, let records):
            return "default \(table).\(column): \(declared.description) (\(by(records))), the database has \(live ?? "none")"
        case .indexMismatch(let table, let index, let declared, let declaredUnique, let live, let liveUnique, let records):
            func shown(_ columns: [String], _ unique: Bool) -> String { (unique ? "unique " : "") + "(" + columns.joined(separator: ", ") + ")" }
            return "index \(index) on \(table): \(shown(declared, declaredUnique)) (\(by(records))), the database has "
                + shown(live, liveUnique)
        }
    }
}
