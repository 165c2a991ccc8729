/// The type a record declares for a column.
///
/// Backends map it to their own type names when they create tables, and the decoder uses it
/// to decide which stored values convert losslessly.
public enum ColumnType: String, Sendable, Hashable, CaseIterable {
    case integer
    case real
    case text
    case blob
    case boolean
    /// A point in time; SQLite stores it as ISO 8601 text, PostgreSQL as `timestamptz`.
    case timestamp
    case uuid
    /// An exact decimal number (`Decimal`): PostgreSQL `numeric`, SQLite `TEXT` (exact).
    case decimal
    /// A JSON document (``JSONColumn``): PostgreSQL `jsonb`, SQLite `TEXT`.
    case json
}
