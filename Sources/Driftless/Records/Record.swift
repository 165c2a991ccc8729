/// A type stored as rows of one table.
///
/// A record declares its table and columns once, in ``schema``, including the value each
/// column takes when the database does not have it yet. Driftless reads and writes it
/// through a ``Repository`` whatever the live schema looks like.
///
/// ```swift
/// struct User: Record, Codable {
///     var id: Int64
///     var name: String
///     var plan: String          // shipped ahead of its migration
///
///     static let schema = RecordSchema<User>(table: "users") {
///         Column("id", \.id, primaryKey: true)
///         Column("name", \.name, default: "")
///         Column("plan", \.plan, default: "free")
///     }
/// }
/// ```
///
/// Decoding is by column index: every query Driftless runs returns the declared columns in
/// declaration order, projected or not. Implement ``init(row:)`` with `row.decode(at:)` for
/// the fastest path, or conform to `Decodable` and let the positional decoder do it.
public protocol Record: Sendable {
    /// The table and columns of the record.
    static var schema: RecordSchema<Self> { get }

    /// Creates a record from a row whose columns are ``schema``'s, in declaration order.
    init(row: Row) throws
}

extension Record where Self: Decodable {
    public init(row: Row) throws {
        try self.init(from: RowDecoder(row: row))
    }
}

extension Record {
    /// A query over every row of the record's table.
    public static func all() -> Query<Self> { Query() }

    /// A query over the rows that match `predicate`.
    public static func filter(_ predicate: Condition<Self>) -> Query<Self> { Query().filter(predicate) }

    /// A query over every row, sorted.
    public static func order(_ orderings: Ordering<Self>...) -> Query<Self> { Query().order(orderings) }
}
