import Driftless

/// What the lint knows while it walks one migration: the migration, the tables it created so
/// far (changes to those break nothing: no running code uses them yet), the records the
/// linter was given, and the findings reported.
public struct LintContext {
    /// The migration being linted.
    public let migration: Migration
    private let linter: MigrationLinter
    private var created: [TableName] = []
    /// The findings so far, in order, each reported once.
    public private(set) var findings: [LintFinding] = []

    init(migration: Migration, linter: MigrationLinter) {
        self.migration = migration
        self.linter = linter
    }

    /// Whether the migration created the table before this change.
    public func isNew(_ table: TableName) -> Bool {
        created.contains { linter.names.same($0, table) }
    }

    /// Whether a change takes a strong lock on a table that existed before the migration
    /// (what a lock timeout guards). A change the lint cannot read counts as one.
    public func locksExistingTable(_ change: LintedChange) -> Bool {
        switch change.kind {
        case .dropTable(let table), .renameTable(let table, _), .addColumn(let table, _, _), .dropColumn(let table, _),
             .renameColumn(let table, _, _), .alterColumn(let table, _, _), .setNotNull(let table, _),
             .addConstraint(let table, _):
            !isNew(table)
        case .truncate(let tables, _):
            tables.isEmpty || tables.contains { !isNew($0) }
        case .reindex(let concurrently):
            !concurrently
        case .dropSchema, .dropType:
            true
        case .createIndex(let table, let concurrently):
            !isNew(table) && !concurrently
        case .dropIndex(let concurrently):
            !concurrently
        case .otherLocking(let table):
            table.map(isNew) != true
        case .cascade, .unverifiable:
            true
        case .createTable, .setLockTimeout, .setStatementTimeout, .transactionControl, .validateConstraint, .backfill,
             .dropDatabase, .data:
            // VALIDATE CONSTRAINT takes a lock that lets reads and writes go on; a backfill
            // takes row locks (its own rule); DROP DATABASE locks no table.
            false
        }
    }

    /// Reports a finding: `what` the change does, then the rule's hazard; acknowledged when
    /// the migration acknowledges the rule.
    public mutating func report(_ rule: LintRule, _ what: String) {
        let finding = LintFinding(
            rule: rule, revision: migration.revision.id, message: what + " " + rule.hazard,
            safeAlternative: rule.safeAlternative, isAcknowledged: migration.acknowledged.contains(rule))
        if !findings.contains(finding) { findings.append(finding) }
    }

    /// Why dropping or renaming this table (or one of its columns) matters: the records that
    /// declare it, or that no records were given; nil when records were given and none does.
    func use(of table: TableName, column: String? = nil) -> String? {
        guard linter.hasRecords else {
            return "and without records to check against, the lint cannot tell whether code still uses it"
        }
        let users = linter.declared.filter { declared in
            linter.names.same(declared.table, table)
                && column.map { declared.column(named: $0, caseInsensitive: linter.names.caseInsensitive) != nil } != false
        }.map(\.recordName)
        return users.isEmpty ? nil : "which \(users.joined(separator: ", ")) still declare\(users.count == 1 ? "s" : "")"
    }

    /// Why renaming `old` to `new` breaks a record that declares the new name without the old
    /// one among its previous names (it reads defaults until the rename runs, and old binaries
    /// break after it); nil when every record declaring the new name lists the old one, which
    /// makes the rename safe. `column` nil: the table itself is renamed.
    func renameWithoutPreviousName(of table: TableName, column old: String? = nil, to new: String) -> String? {
        let caseInsensitive = linter.names.caseInsensitive
        func same(_ lhs: String, _ rhs: String) -> Bool { caseInsensitive ? lhs.lowercased() == rhs.lowercased() : lhs == rhs }
        let users: [String] = linter.declared.compactMap { declared in
            guard let old else {
                guard linter.names.same(declared.table, TableName(new, schema: table.schema)) else { return nil }
                return declared.previousTableNames.contains { linter.names.same($0, table) } ? nil : declared.recordName
            }
            let onTable = linter.names.same(declared.table, table) || declared.previousTableNames.contains { linter.names.same($0, table) }
            guard onTable, let column = declared.column(named: new, caseInsensitive: caseInsensitive) else { return nil }
            return column.previousNames.contains { same($0, old) } ? nil : declared.recordName
        }
        guard !users.isEmpty else { return nil }
        let what = old.map { "previousNames: [\(SchemaOperation.quoted(table, $0))]" } ?? "previousNames: [\(SchemaOperation.quoted(table))]"
        return "which \(users.joined(separator: ", ")) declare\(users.count == 1 ? "s" : "") under the new name without \(what)"
    }

    /// Keeps track of the tables the migration creates (and renames after creating them).
    mutating func record(_ change: LintedChange) {
        switch change.kind {
        case .createTable(let table):
            created.append(table)
        case .renameTable(let table, let newName):
            if let index = created.firstIndex(where: { linter.names.same($0, table) }) {
                created[index] = TableName(newName, schema: table.schema)
            }
        default:
            break
        }
    }
}
