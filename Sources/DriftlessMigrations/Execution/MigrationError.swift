import Driftless

/// Why a migration command could not do what it was asked.
///
/// Each case names the revision, target or operation involved and, where there is one, what
/// to do about it.
public enum MigrationError: Error, Sendable, CustomStringConvertible {
    /// The operation needs a live database and the command renders offline SQL.
    case offlineUnsupported(String)
    /// The operation cannot be done on this backend.
    case unsupportedOperation(String)

    public var description: String {
        switch self {
        case .offlineUnsupported(let what):
            "\(what) needs a database connection; it cannot be rendered as offline SQL"
        case .unsupportedOperation(let what):
            "unsupported operation: \(what)"
        }
    }
}
