/// What the schema map knows of one table.
public enum TableState: Sendable, Hashable {
    /// Never reflected: plans assume every declared column exists (the optimistic hot path).
    case unknown
    /// Reflected: the table exists with these columns.
    case present(TableSchema)
    /// Reflected: the table does not exist.
    case missing
}
