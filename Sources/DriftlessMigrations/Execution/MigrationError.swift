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
    /// A statement's bound arguments do not match its placeholders.
    case invalidArguments(String)
    /// An operation names a table the database does not have.
    case tableNotFound(String)
    /// An operation names a column the table does not have.
    case columnNotFound(table: String, column: String)
    /// A SQLite table rebuild would drop a table other tables reference while foreign keys
    /// are enforced: SQLite would delete or orphan their rows. The runner turns
    /// `PRAGMA foreign_keys` off outside the migration's transaction; do the same when
    /// applying operations yourself.
    case foreignKeysEnforced(table: String, referencedBy: [String])

    public var description: String {
        switch self {
        case .offlineUnsupported(let what):
            "\(what) needs a database connection; it cannot be rendered as offline SQL"
        case .unsupportedOperation(let what):
            "unsupported operation: \(what)"
        case .invalidArguments(let what):
            "invalid arguments: \(what)"
        case .tableNotFound(let table):
            "no table \(table)"
        case .columnNotFound(let table, let column):
            "table \(table) has no column \(column)"
        case .foreignKeysEnforced(let table, let referencedBy):
            "rebuilding \(table) needs PRAGMA foreign_keys = OFF (set outside the transaction): "
                + "\(referencedBy.joined(separator: ", ")) reference\(referencedBy.count == 1 ? "s" : "") it, "
                + "and dropping the old copy with foreign keys on would delete or orphan their rows"
        }
    }
}
