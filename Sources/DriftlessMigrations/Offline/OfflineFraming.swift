/// How an offline script frames one migration on a backend, mirroring what the migrator does
/// online (SQLite: foreign keys off around `BEGIN IMMEDIATE ... COMMIT`; PostgreSQL: `NOTIFY`
/// before `COMMIT`, so that instances catch up when the script is run by hand).
public struct OfflineFraming: Sendable {
    /// Lines before the transaction.
    public var before: [String]
    /// The statement that opens a migration's transaction (`BEGIN IMMEDIATE;` on SQLite, to
    /// take the write lock at once as the online run does).
    public var begin: String
    /// Lines just before `COMMIT`, after the version update.
    public var beforeCommit: [String]
    /// The statement that commits it.
    public var commit: String
    /// Lines after the transaction.
    public var after: [String]

    public init(before: [String] = [], begin: String = "BEGIN;", beforeCommit: [String] = [], commit: String = "COMMIT;", after: [String] = []) {
        self.before = before
        self.begin = begin
        self.beforeCommit = beforeCommit
        self.commit = commit
        self.after = after
    }
}
