/// What `check` found: the problems a CI job should fail on.
public struct CheckReport: Sendable {
    /// The graph's heads; more than one is a problem (merge them).
    public var heads: [String]
    /// Migrations not applied yet.
    public var pendingRevisions: [String]
    /// Version-table revisions this program does not know (the database is ahead).
    public var unknownRevisions: [String]
    /// How the record declarations differ from the live schema in ways that break them:
    /// missing tables and columns, other types, nullability or keys. One line each.
    public var drift: [String]
    /// Differences reported without failing: tables and columns no record declares (left
    /// alone at runtime, removed by the contract step of an expand/contract change), and the
    /// diff's notes.
    public var notes: [String] = []
    /// Whether records were compared with the schema at all: `check` without records cannot
    /// see drift, and says so rather than calling the schema clean.
    public var checkedDrift = false
    /// Applied migrations that changed since they were applied.
    public var checksumMismatches: [ChecksumMismatch] = []
    /// Repeatable migrations whose checksum is not the recorded one: `upgrade` would run them.
    public var pendingRepeatables: [String] = []

    public init(heads: [String], pendingRevisions: [String], unknownRevisions: [String], drift: [String], notes: [String] = []) {
        self.heads = heads
        self.pendingRevisions = pendingRevisions
        self.unknownRevisions = unknownRevisions
        self.drift = drift
        self.notes = notes
    }

    /// Whether nothing needs doing.
    public var isClean: Bool { problems.isEmpty }

    /// One readable line per problem.
    public var problems: [String] {
        var problems: [String] = []
        if heads.count > 1 {
            problems.append("several heads (\(heads.joined(separator: ", "))): merge them with `driftless migrate merge heads`")
        }
        if !unknownRevisions.isEmpty {
            problems.append("the database is at revisions this program does not know: \(unknownRevisions.joined(separator: ", "))")
        }
        if !pendingRevisions.isEmpty {
            problems.append("\(pendingRevisions.count) pending migration(s): \(pendingRevisions.joined(separator: ", "))")
        }
        problems += checksumMismatches.map { "\($0.description): restore it, or accept the change with `driftless migrate repair`" }
        if !pendingRepeatables.isEmpty {
            problems.append("\(pendingRepeatables.count) repeatable migration(s) to run: \(pendingRepeatables.joined(separator: ", "))")
        }
        problems += drift.map { "drift: \($0)" }
        return problems
    }
}
