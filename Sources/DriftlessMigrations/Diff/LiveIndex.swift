import Driftless

/// An index as the live database has it, for the diff to compare with a declared one.
public struct LiveIndex: Sendable, Hashable {
    public var name: String
    /// The indexed columns in order; nil for an expression.
    public var columns: [String?]
    public var isUnique: Bool

    public init(name: String, columns: [String?], isUnique: Bool) {
        self.name = name
        self.columns = columns
        self.isUnique = isUnique
    }
}
