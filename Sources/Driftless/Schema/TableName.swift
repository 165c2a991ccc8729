/// A table, optionally qualified by its schema (PostgreSQL) or attached database (SQLite).
///
/// Two table names are equal when their bytes are: the databases keep canonically
/// equivalent names (`é` and `e` followed by U+0301) apart, and so does the schema map.
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

    public static func == (lhs: TableName, rhs: TableName) -> Bool {
        guard lhs.name.utf8.elementsEqual(rhs.name.utf8) else { return false }
        switch (lhs.schema, rhs.schema) {
        case (nil, nil): return true
        case let (left?, right?): return left.utf8.elementsEqual(right.utf8)
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        for byte in name.utf8 { hasher.combine(byte) }
        hasher.combine(name.utf8.count)
        if let schema {
            for byte in schema.utf8 { hasher.combine(byte) }
            hasher.combine(schema.utf8.count)
        }
    }
}
