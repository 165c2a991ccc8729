/// A table, optionally qualified by its schema (PostgreSQL) or attached database (SQLite).
public struct TableName: Sendable, Hashable, CustomStringConvertible {
    /// The schema or attached database, or nil for the connection's default resolution.
    public var schema: String?
    /// The table's own name, exactly as created (Driftless always quotes it).
    public var name: String

    public init(_ name: String, schema: String? = nil) {
        self.name = name
        self.schema = schema
    }

    public var description: String { schema.map { "\($0).\(name)" } ?? name }
}
