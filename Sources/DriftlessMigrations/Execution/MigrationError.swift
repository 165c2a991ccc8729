import Driftless

/// Why a migration command could not do what it was asked.
///
/// Each case names the revision, target or operation involved and, where there is one, what
/// to do about it, so that the message alone (the CLI prints nothing else) says what to fix.
public enum MigrationError: Error, Sendable, CustomStringConvertible {
    /// The operation needs a live database and the command renders offline SQL.
    case offlineUnsupported(String)
    /// The operation cannot be done on this backend.
    case unsupportedOperation(String)
    /// A statement's bound arguments do not match its placeholders.
    case invalidArguments(String)
    /// An operation names something the database cannot hold as written (a name with NUL,
    /// one longer than PostgreSQL keeps) or has a default it cannot render exactly.
    case invalidOperation(String)
    /// An operation names a table the database does not have.
    case tableNotFound(String)
    /// An operation names a column the table does not have.
    case columnNotFound(table: String, column: String)
    /// A SQLite table rebuild would drop a table other tables reference while foreign keys
    /// are enforced: SQLite would delete or orphan their rows. The runner turns
    /// `PRAGMA foreign_keys` off outside the migration's transaction; do the same when
    /// applying operations yourself.
    case foreignKeysEnforced(table: String, referencedBy: [String])

    // MARK: The revision graph

    /// A revision id is empty or contains a character reserved for targets.
    case invalidRevisionID(String, reason: String)
    /// Two migrations share an id; `sources` says where each came from.
    case duplicateRevision(String, sources: [String])
    /// A revision names a parent that no migration has.
    case unknownParent(revision: String, parent: String)
    /// A revision depends on a revision that no migration has.
    case unknownDependency(revision: String, dependency: String)
    /// Following parents and dependencies leads back to where it started.
    case cycle([String])
    /// A branch label is declared by several revisions, or equals a revision id.
    case duplicateBranchLabel(String, revisions: [String])

    // MARK: Targets

    /// No revision has this id, unique id prefix or branch label.
    case unknownRevision(String)
    /// A prefix matches several revisions.
    case ambiguousRevision(String, candidates: [String])
    /// `head` (or `label@head`) was asked for and there are several heads.
    case multipleHeads(target: String, heads: [String])
    /// A target that cannot be resolved as written (bad syntax, a relative step that leaves
    /// the graph or meets a branch point).
    case invalidTarget(String, reason: String)
    /// A downgrade target that is not applied: there is nothing to go back to.
    case notApplied(target: String, revisions: [String])

    // MARK: Running

    /// The version table names revisions this program does not know: the database was
    /// migrated by a newer release. Explicit commands stop; automatic migration logs it.
    case unknownRevisionsInDatabase([String])
    /// Another process held the migration lock for longer than the timeout.
    case lockTimeout(seconds: Double, holder: String)
    /// A migration's operations failed; its transaction was rolled back (when it had one).
    case migrationFailed(revision: String, direction: MigrationDirection, underlying: any Error)
    /// SQLite's `PRAGMA foreign_key_check` found rows that violate foreign keys after the
    /// migration; its transaction was rolled back.
    case foreignKeyViolations(revision: String, violations: [String])
    /// Offline SQL needs a `start:end` range (downgrades, and stamps, have no database to
    /// read the current revision from).
    case offlineRangeRequired(String)

    // MARK: Migration files

    /// A SQL migration file that cannot be read as a migration, with the line at fault.
    case invalidMigrationFile(path: String, line: Int, problem: String)
    /// A migration file would overwrite an existing file.
    case fileExists(String)

    public var description: String {
        switch self {
        case .offlineUnsupported(let what):
            "\(what) needs a database connection; it cannot be rendered as offline SQL"
        case .unsupportedOperation(let what):
            "unsupported operation: \(what)"
        case .invalidRevisionID(let id, let reason):
            "invalid revision id \"\(id)\": \(reason)"
        case .duplicateRevision(let id, let sources):
            "revision \(id) is defined more than once (\(sources.joined(separator: ", ")))"
        case .unknownParent(let revision, let parent):
            "revision \(revision) names parent \(parent), which no migration defines"
        case .unknownDependency(let revision, let dependency):
            "revision \(revision) depends on \(dependency), which no migration defines"
        case .cycle(let path):
            "the revisions form a cycle: \(path.joined(separator: " -> "))"
        case .duplicateBranchLabel(let label, let revisions):
            "branch label \"\(label)\" is used by more than one revision or collides with a revision id (\(revisions.joined(separator: ", ")))"
        case .unknownRevision(let target):
            "no revision matches \"\(target)\" (not an id, an id prefix or a branch label)"
        case .ambiguousRevision(let prefix, let candidates):
            "\"\(prefix)\" matches several revisions: \(candidates.joined(separator: ", ")); give more of the id"
        case .multipleHeads(let target, let heads):
            "\"\(target)\" is ambiguous: there are several heads (\(heads.joined(separator: ", "))). "
                + "Merge them with `driftless migrate merge heads`, or target `heads` (every head) or `<label>@head` (one branch)"
        case .invalidTarget(let target, let reason):
            "invalid target \"\(target)\": \(reason)"
        case .notApplied(let target, let revisions):
            "cannot downgrade to \"\(target)\": \(revisions.joined(separator: ", ")) is not applied"
        case .unknownRevisionsInDatabase(let revisions):
            "the version table names revisions this program does not know (\(revisions.joined(separator: ", "))): "
                + "the database was migrated by a newer release. Run that release's migrations, or `stamp --purge` to overwrite"
        case .lockTimeout(let seconds, let holder):
            "could not take the migration lock within \(seconds) s: \(holder) holds it"
        case .migrationFailed(let revision, let direction, let underlying):
            "\(direction) of \(revision) failed: \(underlying)"
        case .foreignKeyViolations(let revision, let violations):
            "migration \(revision) leaves rows violating foreign keys (\(violations.joined(separator: "; "))); rolled back"
        case .offlineRangeRequired(let command):
            "offline \(command) needs a start:end range (there is no database to read the current revision from)"
        case .invalidMigrationFile(let path, let line, let problem):
            "\(path):\(line): \(problem)"
        case .fileExists(let path):
            "\(path) already exists; not overwriting it"
        case .invalidArguments(let what):
            "invalid arguments: \(what)"
        case .invalidOperation(let what):
            "invalid operation \(what)"
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
