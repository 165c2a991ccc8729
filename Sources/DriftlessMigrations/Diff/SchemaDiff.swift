import Driftless

/// How the declared records differ from the live schema, and the operations that add what
/// is missing: `driftless migrate check` and `revision --autogenerate`.
///
/// ```swift
/// let diff = try SchemaDiff.compare(records: [User.self, Order.self], on: connection)
/// for line in diff.findings { print(line) }
/// let migration = Migration("ae1027a6acf4", "add what records declare") { up in
///     for operation in diff.operations { up.append(operation) }
/// } downgrade: { _ in }
/// ```
///
/// What it compares, per table a record declares (several records may share a table; their
/// columns are taken together):
///
/// - a missing table becomes `createTable` with the declared columns, types, NOT NULL for
///   non-optional columns, the declared defaults and the primary key;
/// - a missing column becomes `addColumn`. A non-optional column is added NOT NULL with the
///   record's declared default: existing rows then hold exactly the value Driftless reads for
///   them while the column is missing (a missing column is a column whose every value is its
///   default), so adding it changes no result and old binaries that insert without it keep
///   working. A missing primary key column cannot be added as a key to a table with rows: it
///   is added nullable, and ``notes`` says so;
/// - live columns no record declares, and tables no record declares in the records' schemas,
///   are reported, never dropped (expand/contract drops them in a reviewed migration);
/// - a live type that does not hold the declared type (compared by SQLite affinity or
///   PostgreSQL type family), a nullability the record cannot live with, and a different
///   primary key are reported; changing them is left to a reviewed migration.
///
/// - an index a record declares (``RecordIndex``) that the table lacks, matched by name,
///   becomes `createIndex` (after the table or columns it needs). Live indexes no record
///   declares are left alone: records need not declare every index.
///
/// The migration version table and the rebuild's `_driftless_new_*` tables are ignored.
/// A record whose declaration is invalid is ``DriftlessError/invalidRecord(record:problem:)``.
public struct SchemaDiff: Sendable {
    /// Every difference, structured.
    public var differences: [SchemaDifference]
    /// The operations that add what is missing, in an order that applies cleanly.
    public var operations: [SchemaOperation]
    /// How operations deviate from the declarations, and why.
    public var notes: [String]

    /// Tables never reported as extra.
    public static let defaultIgnoredTables: Set<String> = ["driftless_version"]

    /// Whether records and schema agree: no difference of any kind.
    public var isEmpty: Bool { differences.isEmpty }

    /// One readable line per difference, then the notes.
    public var findings: [String] { differences.map(\.description) + notes }

    public init(differences: [SchemaDifference] = [], operations: [SchemaOperation] = [], notes: [String] = []) {
        self.differences = differences
        self.operations = operations
        self.notes = notes
    }

    /// Compares record declarations with the live schema of `connection`.
    ///
    /// - Parameter ignoringTables: table names never reported as extra (the version table by
    ///   default; `_driftless_*` tables are always ignored).
    public static func compare(
        records: [any Record.Type], on connection: some MigrationConnection,
        ignoringTables: Set<String> = defaultIgnoredTables
    ) throws -> SchemaDiff {
        let comparison = Comparison(dialect: connection.dialect)
        let tables = try comparison.declaredTables(records)
        var diff = SchemaDiff()
        for table in tables {
            try comparison.compare(table, on: connection, into: &diff)
        }
        try comparison.reportExtraTables(besides: tables, ignoring: ignoringTables, on: connection, into: &diff)
        return diff
    }

    /// A declared index the table lacks: the difference and the operation that creates it.
    fileprivate mutating func add(_ index: RecordIndex, on table: TableName, records: [String]) {
        differences.append(.missingIndex(table, index: index.name, columns: index.columns, records: records))
        operations.append(.createIndex(IndexDefinition(index.name, on: table, columns: index.columns, unique: index.isUnique)))
    }

    /// The table a record declares, as `createTable` creates it.
    fileprivate static func createDefinition(_ declared: DeclaredTable) -> TableDefinition {
        let key = declared.columns.filter(\.isPrimaryKey).map(\.name)
        let columns = declared.columns.map { column in
            TableColumn(column.name, column.type, nullable: column.isNullable && !column.isPrimaryKey,
                        default: column.isPrimaryKey ? nil : column.defaultValue.flatMap { $0.isNull ? nil : $0 },
                        primaryKey: column.isPrimaryKey)
        }
        return TableDefinition(declared.table, columns: columns, primaryKey: key)
    }

    /// The column `addColumn` adds for a missing declared column, and a note when it differs
    /// from the declaration.
    fileprivate static func addedColumn(
        _ column: DeclaredTable.Column, table: TableName
    ) -> (TableColumn, String?) {
        let defaultValue = column.defaultValue.flatMap { $0.isNull ? nil : $0 }
        if column.isPrimaryKey {
            return (TableColumn(column.name, column.type),
                    "\(table).\(column.name) is declared as (part of) the primary key; it is added as a nullable column, "
                        + "since an existing table cannot gain a key column by ADD COLUMN: fill it and change the key in a reviewed migration")
        }
        if !column.isNullable && defaultValue == nil {
            return (TableColumn(column.name, column.type),
                    "\(table).\(column.name) is not optional but declares no default; it is added nullable so that existing rows stay valid")
        }
        return (TableColumn(column.name, column.type, nullable: column.isNullable, default: defaultValue), nil)
    }
}

/// One comparison's rules: how the dialect matches names and types.
private struct Comparison {
    /// The tables the records declare, each with the records that declare it (several
    /// records may share a table; their columns and indexes are taken together).
    struct DeclaredEntry {
        var declared: DeclaredTable
        var records: [String]
    }

    let dialect: any MigrationDialect
    let names: TableNameMatcher

    init(dialect: any MigrationDialect) {
        self.dialect = dialect
        names = TableNameMatcher(dialect: dialect)
    }

    var caseInsensitive: Bool { dialect.identifiersAreCaseInsensitive }

    func declaredTables(_ records: [any Record.Type]) throws -> [DeclaredEntry] {
        var tables: [DeclaredEntry] = []
        for record in records {
            let declared = DeclaredTable(record)
            if let problem = declared.problem {
                throw DriftlessError.invalidRecord(record: declared.recordName, problem: problem)
            }
            guard let index = tables.firstIndex(where: { names.same($0.declared.table, declared.table) }) else {
                tables.append(DeclaredEntry(declared: declared, records: [declared.recordName]))
                continue
            }
            tables[index].records.append(declared.recordName)
            for column in declared.columns
            where tables[index].declared.column(named: column.name, caseInsensitive: caseInsensitive) == nil {
                tables[index].declared.columns.append(column)
            }
            for recordIndex in declared.indexes
            where !tables[index].declared.indexes.contains(where: { names.same($0.name, recordIndex.name) }) {
                tables[index].declared.indexes.append(recordIndex)
            }
        }
        return tables
    }

    /// One declared table against the live one: the whole table missing, or its columns,
    /// key and indexes.
    func compare(_ entry: DeclaredEntry, on connection: some MigrationConnection, into diff: inout SchemaDiff) throws {
        let (declared, records) = (entry.declared, entry.records)
        let table = declared.table
        guard let live = try connection.reflectTable(table) else {
            diff.differences.append(.missingTable(table, records: records))
            diff.operations.append(.createTable(SchemaDiff.createDefinition(declared)))
            for index in declared.indexes { diff.add(index, on: table, records: records) }
            return
        }
        compareColumns(entry, live: live, into: &diff)
        comparePrimaryKey(entry, live: live, into: &diff)
        let liveIndexes = declared.indexes.isEmpty ? [] : try dialect.indexNames(on: table, connection: connection)
        for index in declared.indexes where !liveIndexes.contains(where: { names.same($0, index.name) }) {
            diff.add(index, on: table, records: records)
        }
    }

    /// Missing columns (and the `addColumn` for each), types the live column does not hold,
    /// nullability the record cannot live with, and live columns no record declares.
    private func compareColumns(_ entry: DeclaredEntry, live: TableSchema, into diff: inout SchemaDiff) {
        let (declared, records) = (entry.declared, entry.records)
        let table = declared.table
        for column in declared.columns {
            guard let liveColumn = live.column(named: column.name, caseInsensitive: caseInsensitive) else {
                diff.differences.append(.missingColumn(table, column: column.name, type: column.type, records: records))
                let (added, note) = SchemaDiff.addedColumn(column, table: table)
                diff.operations.append(.addColumn(table, added, ifNotExists: false))
                if let note { diff.notes.append(note) }
                continue
            }
            if !dialect.liveType(liveColumn.declaredType, holds: column.type) {
                diff.differences.append(.typeMismatch(
                    table, column: column.name, declared: column.type, live: liveColumn.declaredType, records: records))
            }
            guard !column.isPrimaryKey else { continue }
            if !column.isNullable && !liveColumn.isNotNull {
                diff.differences.append(.nullabilityMismatch(table, column: column.name, declaredNullable: false, records: records))
            } else if column.isNullable && liveColumn.isRequiredOnInsert {
                diff.differences.append(.nullabilityMismatch(table, column: column.name, declaredNullable: true, records: records))
            }
        }
        for liveColumn in live.columns where declared.column(named: liveColumn.name, caseInsensitive: caseInsensitive) == nil {
            diff.differences.append(.extraColumn(table, column: liveColumn.name))
        }
    }

    /// A declared key that differs from the live one (when the live table has its columns).
    private func comparePrimaryKey(_ entry: DeclaredEntry, live: TableSchema, into diff: inout SchemaDiff) {
        let declaredKey = entry.declared.columns.filter(\.isPrimaryKey).map(\.name)
        let liveKey = live.columns.filter(\.isPrimaryKey).map(\.name)
        let sameKey = declaredKey.count == liveKey.count
            && declaredKey.allSatisfy { name in liveKey.contains { names.same($0, name) } }
        let keyColumnsExist = declaredKey.allSatisfy { live.column(named: $0, caseInsensitive: caseInsensitive) != nil }
        if !declaredKey.isEmpty && !sameKey && keyColumnsExist {
            diff.differences.append(.primaryKeyMismatch(entry.declared.table, declared: declaredKey, live: liveKey, records: entry.records))
        }
    }

    /// Tables in the records' schemas that no record declares.
    func reportExtraTables(
        besides tables: [DeclaredEntry], ignoring ignored: Set<String>, on connection: some MigrationConnection,
        into diff: inout SchemaDiff
    ) throws {
        var schemas: [String?] = []
        for entry in tables where !schemas.contains(where: { $0 == entry.declared.table.schema }) {
            schemas.append(entry.declared.table.schema)
        }
        for schema in schemas {
            for table in try dialect.tables(inSchema: schema, on: connection) {
                let isIgnored = ignored.contains { names.same($0, table.name) } || table.name.hasPrefix("_driftless_")
                if !isIgnored && !tables.contains(where: { names.same($0.declared.table, table) }) {
                    diff.differences.append(.extraTable(table))
                }
            }
        }
    }
}
