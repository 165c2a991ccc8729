import Driftless

/// Why a migration command could not do what it was asked.
///
/// Each error names the revision, target, file or table involved and, where there is one,
/// what to do about it, so that the message alone (the CLI prints nothing else) says what to
/// fix. A struct with a ``code`` rather than an enum, so that a later release, or a backend's
/// migrations module, can add errors without breaking a `switch` of yours:
///
/// ```swift
/// catch let error as MigrationError where error.code == .multipleHeads {
///     print(error.target, error.revisions)
/// }
/// ```
public struct MigrationError: Error, Sendable, CustomStringConvertible {
    /// Which error it is. A backend's migrations module defines codes of its own with
    /// ``init(_:)`` (SQLite's `foreignKeysEnforced`).
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String

        /// A code; give it a name no other module uses.
        public init(_ rawValue: String) { self.rawValue = rawValue }

        public var description: String { rawValue }

        // MARK: Operations

        /// The operation needs a live database and the command renders offline SQL.
        public static let offlineUnsupported = Code("offlineUnsupported")
        /// The operation cannot be done on this backend.
        public static let unsupportedOperation = Code("unsupportedOperation")
        /// A statement's bound arguments do not match its placeholders.
        public static let invalidArguments = Code("invalidArguments")
        /// An operation names something the database cannot hold as written (a name with NUL,
        /// one longer than PostgreSQL keeps) or has a default it cannot render exactly.
        public static let invalidOperation = Code("invalidOperation")
        /// An operation names a table the database does not have.
        public static let tableNotFound = Code("tableNotFound")
        /// An operation names a column the table does not have.
        public static let columnNotFound = Code("columnNotFound")

        // MARK: The revision graph

        /// A revision id or branch label is empty or contains a character reserved for targets.
        public static let invalidRevisionID = Code("invalidRevisionID")
        /// Two migrations share an id; ``MigrationError/related`` says where each came from.
        public static let duplicateRevision = Code("duplicateRevision")
        /// A revision names a parent (``MigrationError/revisions``) that no migration has.
        public static let unknownParent = Code("unknownParent")
        /// A revision depends on a revision (``MigrationError/revisions``) that no migration has.
        public static let unknownDependency = Code("unknownDependency")
        /// Following parents and dependencies leads back to where it started
        /// (``MigrationError/revisions``, ending where it starts).
        public static let cycle = Code("cycle")
        /// A branch label (``MigrationError/target``) is declared by several revisions, or
        /// equals a revision id.
        public static let duplicateBranchLabel = Code("duplicateBranchLabel")

        // MARK: Targets

        /// No revision has this id, unique id prefix or branch label.
        public static let unknownRevision = Code("unknownRevision")
        /// A prefix matches several revisions (the candidates are ``MigrationError/revisions``).
        public static let ambiguousRevision = Code("ambiguousRevision")
        /// `head` (or `label@head`) was asked for and there are several heads.
        public static let multipleHeads = Code("multipleHeads")
        /// A target that cannot be resolved as written (bad syntax, a relative step that
        /// leaves the graph or meets a branch point).
        public static let invalidTarget = Code("invalidTarget")
        /// A downgrade target that is not applied: there is nothing to go back to.
        public static let notApplied = Code("notApplied")
        /// A new revision would follow a revision (``MigrationError/revision``) that is not a
        /// head, which starts a branch: ask for it (`--splice`), as Alembic does.
        public static let notAHead = Code("notAHead")

        // MARK: Running

        /// The version table names revisions this program does not know: the database was
        /// migrated by a newer release. Explicit commands stop; automatic migration logs it.
        public static let unknownRevisionsInDatabase = Code("unknownRevisionsInDatabase")
        /// Another process held the migration lock for longer than the timeout.
        public static let lockTimeout = Code("lockTimeout")
        /// A migration's operations failed (``MigrationError/underlying``); its transaction
        /// was rolled back (when it had one).
        public static let migrationFailed = Code("migrationFailed")
        /// Rows violate foreign keys after the migration (``MigrationError/related``); its
        /// transaction was rolled back.
        public static let foreignKeyViolations = Code("foreignKeyViolations")
        /// A migration drops or renames a table or column (``MigrationError/table``,
        /// ``MigrationError/column``) that live processes registered in the fleet table still
        /// use; their releases are ``MigrationError/related``. Nothing ran. Deploy a release that
        /// no longer needs it (or declares it as a previous name), or force the step.
        public static let contractInUse = Code("contractInUse")
        /// Offline SQL needs a `start:end` range (downgrades, and stamps, have no database to
        /// read the current revision from).
        public static let offlineRangeRequired = Code("offlineRangeRequired")
        /// Autogenerate needs the database at every head (Alembic's "Target database is not up
        /// to date"): otherwise it would write again what a pending migration
        /// (``MigrationError/revisions``) already does.
        public static let databaseNotUpToDate = Code("databaseNotUpToDate")
        /// Applied migrations (``MigrationError/revisions``, their sources in
        /// ``MigrationError/related``) changed since they were applied: their checksums differ
        /// from those recorded. `repair` accepts the change.
        public static let checksumMismatch = Code("checksumMismatch")

        // MARK: Migration files

        /// A SQL migration file that cannot be read as a migration, with the line at fault.
        public static let invalidMigrationFile = Code("invalidMigrationFile")
        /// A migration file would overwrite an existing file.
        public static let fileExists = Code("fileExists")
    }

    /// Which error it is.
    public var code: Code
    /// The revision involved (the one that failed, or whose header is wrong), if any.
    public var revision: String?
    /// Other revisions involved: heads, candidates, a cycle, a missing parent, unknown rows.
    public var revisions: [String]
    /// The target, prefix or branch label as it was given, if any.
    public var target: String?
    /// The table involved, if any.
    public var table: String?
    /// The column involved, if any.
    public var column: String?
    /// The file involved, if any.
    public var path: String?
    /// The line of ``path`` at fault (1-based; 0 for the file as a whole).
    public var line: Int?
    /// Whether the failing migration was being applied or reverted.
    public var direction: MigrationDirection?
    /// The error a migration's operations threw.
    public var underlying: (any Error)?
    /// For ``Code/lockTimeout``: how long the migrator waited.
    public var seconds: Double?
    /// Anything else the message lists: the sources of a duplicate revision, the rows that
    /// violate foreign keys, the tables that reference one.
    public var related: [String]
    /// What was asked, or why it cannot be done, where the fields alone do not say.
    public var detail: String?
    /// For ``Code/migrationFailed``: the statement that failed, when the migration ran SQL
    /// (Alembic's `[SQL: ...]`); its line in the file is ``line``.
    public var statement: String?
    /// For ``Code/migrationFailed``: which operation failed (`operation 2 of 3: add column
    /// "users"."plan"`), for a Swift migration.
    public var operation: String?

    public init(
        _ code: Code, revision: String? = nil, revisions: [String] = [], target: String? = nil, table: String? = nil,
        column: String? = nil, path: String? = nil, line: Int? = nil, direction: MigrationDirection? = nil,
        underlying: (any Error)? = nil, seconds: Double? = nil, related: [String] = [], detail: String? = nil,
        statement: String? = nil, operation: String? = nil
    ) {
        self.statement = statement
        self.operation = operation
        self.code = code
        self.revision = revision
        self.revisions = revisions
        self.target = target
        self.table = table
        self.column = column
        self.path = path
        self.line = line
        self.direction = direction
        self.underlying = underlying
        self.seconds = seconds
        self.related = related
        self.detail = detail
    }

    // MARK: Making errors

    public static func offlineUnsupported(_ what: String) -> MigrationError { MigrationError(.offlineUnsupported, detail: what) }
    public static func unsupportedOperation(_ what: String) -> MigrationError { MigrationError(.unsupportedOperation, detail: what) }
    public static func invalidArguments(_ what: String) -> MigrationError { MigrationError(.invalidArguments, detail: what) }
    public static func invalidOperation(_ what: String) -> MigrationError { MigrationError(.invalidOperation, detail: what) }
    public static func tableNotFound(_ table: String) -> MigrationError { MigrationError(.tableNotFound, table: table) }

    public static func columnNotFound(table: String, column: String) -> MigrationError {
        MigrationError(.columnNotFound, table: table, column: column)
    }

    public static func invalidRevisionID(_ id: String, reason: String) -> MigrationError {
        MigrationError(.invalidRevisionID, revision: id, detail: reason)
    }

    public static func duplicateRevision(_ id: String, sources: [String]) -> MigrationError {
        MigrationError(.duplicateRevision, revision: id, related: sources)
    }

    public static func unknownParent(revision: String, parent: String) -> MigrationError {
        MigrationError(.unknownParent, revision: revision, revisions: [parent])
    }

    public static func unknownDependency(revision: String, dependency: String) -> MigrationError {
        MigrationError(.unknownDependency, revision: revision, revisions: [dependency])
    }

    public static func cycle(_ path: [String]) -> MigrationError { MigrationError(.cycle, revisions: path) }

    public static func duplicateBranchLabel(_ label: String, revisions: [String]) -> MigrationError {
        MigrationError(.duplicateBranchLabel, revisions: revisions, target: label)
    }

    public static func unknownRevision(_ target: String) -> MigrationError { MigrationError(.unknownRevision, target: target) }

    public static func ambiguousRevision(_ prefix: String, candidates: [String]) -> MigrationError {
        MigrationError(.ambiguousRevision, revisions: candidates, target: prefix)
    }

    public static func multipleHeads(target: String, heads: [String]) -> MigrationError {
        MigrationError(.multipleHeads, revisions: heads, target: target)
    }

    public static func invalidTarget(_ target: String, reason: String) -> MigrationError {
        MigrationError(.invalidTarget, target: target, detail: reason)
    }

    public static func notApplied(target: String, revisions: [String]) -> MigrationError {
        MigrationError(.notApplied, revisions: revisions, target: target)
    }

    public static func unknownRevisionsInDatabase(_ revisions: [String]) -> MigrationError {
        MigrationError(.unknownRevisionsInDatabase, revisions: revisions)
    }

    public static func lockTimeout(seconds: Double, holder: String) -> MigrationError {
        MigrationError(.lockTimeout, seconds: seconds, detail: holder)
    }

    public static func migrationFailed(
        revision: String, direction: MigrationDirection, underlying: any Error, path: String? = nil, line: Int? = nil,
        statement: String? = nil, operation: String? = nil
    ) -> MigrationError {
        MigrationError(.migrationFailed, revision: revision, path: path, line: line, direction: direction, underlying: underlying,
                       statement: statement, operation: operation)
    }

    public static func notAHead(_ revision: String) -> MigrationError { MigrationError(.notAHead, revision: revision) }

    public static func databaseNotUpToDate(pending: [String], unknown: [String]) -> MigrationError {
        MigrationError(.databaseNotUpToDate, revisions: pending, related: unknown)
    }

    public static func checksumMismatch(revisions: [String], sources: [String]) -> MigrationError {
        MigrationError(.checksumMismatch, revisions: revisions, related: sources)
    }

    public static func foreignKeyViolations(revision: String, violations: [String]) -> MigrationError {
        MigrationError(.foreignKeyViolations, revision: revision, related: violations)
    }

    public static func contractInUse(_ use: ContractUse) -> MigrationError {
        MigrationError(.contractInUse, revision: use.revision, table: use.table.description, column: use.column,
                       related: use.releases, detail: use.description)
    }

    public static func offlineRangeRequired(_ command: String) -> MigrationError {
        MigrationError(.offlineRangeRequired, detail: command)
    }

    public static func invalidMigrationFile(path: String, line: Int, problem: String) -> MigrationError {
        MigrationError(.invalidMigrationFile, path: path, line: line, detail: problem)
    }

    public static func fileExists(_ path: String) -> MigrationError { MigrationError(.fileExists, path: path) }

    // MARK: Messages

    public var description: String {
        let target = Self.shown(target ?? "?")
        let revision = Self.shown(revision ?? "?")
        let detail = detail ?? "?"
        let revisions = revisions.listedForMessage()
        switch code {
        case .offlineUnsupported:
            return "\(detail) needs a database connection; it cannot be rendered as offline SQL"
        case .unsupportedOperation:
            return "unsupported operation: \(detail)"
        case .invalidArguments:
            return "invalid arguments: \(detail)"
        case .invalidOperation:
            return "invalid operation \(detail)"
        case .tableNotFound:
            return "no table \(table ?? "?")"
        case .columnNotFound:
            return "table \(table ?? "?") has no column \(column ?? "?")"
        case .invalidRevisionID:
            return "invalid revision id \"\(revision)\": \(detail)"
        case .duplicateRevision:
            return "revision \(revision) is defined more than once (\(related.listedForMessage()))"
        case .unknownParent:
            return "revision \(revision) names parent \(revisions), which no migration defines"
        case .unknownDependency:
            return "revision \(revision) depends on \(revisions), which no migration defines"
        case .cycle:
            return "the revisions form a cycle: \(self.revisions.listedForMessage(separator: " -> ", limit: 50))"
        case .duplicateBranchLabel:
            return "branch label \"\(target)\" is used by more than one revision or collides with a revision id (\(revisions))"
        case .unknownRevision:
            return "no revision matches \"\(target)\" (not an id, an id prefix or a branch label)"
        case .ambiguousRevision:
            return "\"\(target)\" matches several revisions: \(revisions); give more of the id"
        case .multipleHeads:
            return "\"\(target)\" is ambiguous: there are several heads (\(revisions)). "
                + "Merge them with `driftless migrate merge heads`, or target `heads` (every head) or `<label>@head` (one branch)"
        case .invalidTarget:
            return "invalid target \"\(target)\": \(detail)"
        case .notApplied:
            return "cannot downgrade to \"\(target)\": \(revisions) is not applied"
        case .unknownRevisionsInDatabase:
            return "the version table names revisions this program does not know (\(revisions)): "
                + "the database was migrated by a newer release. Run that release's migrations, or `stamp --purge` to overwrite"
        case .lockTimeout:
            return "could not take the migration lock within \(seconds ?? 0) s: \(detail) holds it"
        case .migrationFailed:
            var place = ""
            if let path { place += " at \(path)" + (line.map { ":\($0)" } ?? "") }
            if let operation { place += " in \(operation)" }
            let sql = statement.map { " [SQL: \(Self.abbreviated($0))]" } ?? ""
            return "\(direction?.rawValue ?? "migration") of \(revision) failed\(place): \(underlying.map { "\($0)" } ?? "?")\(sql)"
        case .notAHead:
            return "revision \(revision) is not a head: a new revision after it starts a new branch; "
                + "pass --splice to create one (splice: true), or follow a head"
        case .databaseNotUpToDate:
            let unknown = related.isEmpty ? "" : "; it is at revisions this program does not know (\(related.listedForMessage()))"
            let pending = self.revisions.isEmpty ? "" : " (pending: \(revisions))"
            return "the database is not up to date\(pending)\(unknown): upgrade it to every head first, so that the comparison "
                + "does not write again what a pending migration does (Alembic: \"Target database is not up to date\")"
        case .checksumMismatch:
            let changed = zip(self.revisions, related).map { "\(Self.shown($0)) (\($1))" }
            return "applied migration(s) changed since they were applied: \(changed.listedForMessage()). "
                + "Restore them, or accept the change with `driftless migrate repair` (Migrator.repairChecksums)"
        case .foreignKeyViolations:
            return "migration \(revision) leaves rows violating foreign keys (\(related.joined(separator: "; "))); rolled back"
        case .contractInUse:
            return "refusing to run \(detail); deploy releases that no longer use it (or declare it as a previous name), or force it with --force"
        case .offlineRangeRequired:
            return "offline \(detail) needs a start:end range (there is no database to read the current revision from)"
        case .invalidMigrationFile:
            return "\(path ?? "?"):\(line ?? 0): \(detail)"
        case .fileExists:
            return "\(path ?? "?") already exists; not overwriting it"
        default:
            // A code of a backend's own: its factory writes the whole message into `detail`.
            return self.detail ?? code.description
        }
    }

    /// A statement for a message: on one line, at most 500 characters.
    private static func abbreviated(_ sql: String) -> String {
        let line = sql.split(whereSeparator: { $0.isNewline || $0 == " " || $0 == "\t" }).joined(separator: " ")
        return line.count > 500 ? line.prefix(497) + "..." : line
    }

    /// A name as given, with control characters and line separators escaped (`\u{B}`), so
    /// that a message stays one readable line whatever an id or target holds.
    private static func shown(_ text: String) -> String {
        text.unicodeScalars.map { scalar in
            switch scalar.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator: scalar.escaped(asASCII: true)
            default: String(scalar)
            }
        }.joined()
    }
}
