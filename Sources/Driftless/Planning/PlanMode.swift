/// How a record's statements currently meet the live table.
public enum PlanMode: Sendable, Hashable, CustomStringConvertible {
    /// Every declared column exists (or the table was never found lacking one).
    case full
    /// The database lacks these declared columns; reads return their defaults.
    case projected(missing: [String])
    /// The table does not exist: reads return nothing, writes throw.
    case tableMissing

    public var description: String {
        switch self {
        case .full: "full"
        case .projected(let missing): "projected (missing: \(missing.joined(separator: ", ")))"
        case .tableMissing: "table missing"
        }
    }

    /// Whether the plan differs from the full one.
    public var isDrifted: Bool {
        if case .full = self { return false }
        return true
    }
}
