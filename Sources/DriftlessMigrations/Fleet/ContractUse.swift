import Driftless

/// A contract step (a drop or rename) that live processes still need: the change, what it
/// removes, and the releases (and processes) that read or write it under that name.
public struct ContractUse: Sendable, CustomStringConvertible {
    /// The migration the step belongs to.
    public var revision: String
    /// The operation or statement, shortened.
    public var change: String
    public var table: TableName
    /// The column removed or renamed; nil when the table itself is.
    public var column: String?
    /// The live processes that still use it.
    public var members: [FleetMember]

    /// The distinct releases of ``members``, sorted.
    public var releases: [String] { Array(Set(members.map(\.release))).sorted() }

    public var description: String {
        let what = column.map { "\(SchemaOperation.quoted(table, $0))" } ?? SchemaOperation.quoted(table)
        return "\(revision): `\(change)` removes \(what), which \(members.count) live process(es) of release(s) "
            + "\(releases.joined(separator: ", ")) still read or write"
    }

    /// The contract steps among a migration's operations that these members still need. A
    /// member that knows the name only as a previous name does not need it (it falls back
    /// to the new name once the old one is gone).
    static func uses(in step: MigrationStep, dialect: any MigrationDialect, members: [FleetMember], caseInsensitive: Bool) -> [ContractUse] {
        var uses: [ContractUse] = []
        for change in step.operations.flatMap({ LintedChange.changes(of: $0, dialect: dialect) }) {
            let removed: (TableName, String?)
            switch change.kind {
            case .dropTable(let table), .renameTable(let table, _): removed = (table, nil)
            case .dropColumn(let table, let column), .renameColumn(let table, let column, _): removed = (table, column)
            default: continue
            }
            let users = members.filter {
                $0.schema.use(of: removed.0, column: removed.1, caseInsensitive: caseInsensitive) == .current
            }
            if !users.isEmpty {
                uses.append(ContractUse(revision: step.revision.id, change: change.summary, table: removed.0,
                                        column: removed.1, members: users))
            }
        }
        return uses
    }
}
