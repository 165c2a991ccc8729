/// An index a record declares on its table.
///
/// Reads and writes do not need it; it is declared with the record so that the schema the
/// code expects is written in one place: `driftless migrate check` reports a declared index
/// the database lacks, and `driftless migrate revision --autogenerate` writes the
/// `CREATE INDEX` for it.
///
/// ```swift
/// static let schema = RecordSchema<User>(table: "users", indexes: [
///     RecordIndex("users_email", on: ["email"], unique: true),
/// ]) {
///     Column("id", \.id, primaryKey: true)
///     Column("email", \.email)
/// }
/// ```
///
/// An index is matched by name (within the table's schema), as the database names it.
public struct RecordIndex: Sendable, Hashable {
    /// The index's name in the database.
    public var name: String
    /// The indexed columns, in order.
    public var columns: [String]
    /// Whether the index is `UNIQUE`.
    public var isUnique: Bool

    public init(_ name: String, on columns: [String], unique: Bool = false) {
        self.name = name
        self.columns = columns
        self.isUnique = unique
    }
}
