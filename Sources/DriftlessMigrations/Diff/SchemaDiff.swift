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
        let dialect = connection.dialect
        let names = TableNameMatcher(dialect: dialect)
        let caseInsensitive = dialect.identifiersAreCaseInsensitive
        var diff = SchemaDiff()

        // One entry per table, the columns of every record on it together.
        var tables: [(declared: DeclaredTable, records: [String])] = []
        for record in records {
            let declared = DeclaredTable(record)
            if let problem = declared.problem {
                throw DriftlessError.invalidRecord(record: declared.recordName, problem: problem)
            }
            if let index = tables.firstIndex(where: { names.same($0.declared.table, declared.table) }) {
                tables[index].records.append(declared.recordName)
                for column in declared.columns
                where tables[index].declared.column(named: column.name, caseInsensitive: caseInsensitive) == nil {
                    tables[index].declared.columns.append(column)
                }
                for recordIndex in declared.indexes
                where !tables[index].declared.indexes.contains(where: { names.same($0.name, recordIndex.name) }) {
                    tables[index].declared.indexes.append(recordIndex)
                }
            } else {
                tables.append((declared, [declared.recordName]))
            }
        }

        for (declared, records) in tables {
            let table = declared.table
            guard let live = try connection.reflectTable(table) else {
                diff.differences.append(.missingTable(table, records: records))
                diff.operations.append(.createTable(createDefinition(declared)))
                for index in declared.indexes { diff.add(index, on: table, records: records) }
                continue
            }
            for column in declared.columns {
                guard let liveColumn = live.column(named: column.name, caseInsensitive: caseInsensitive) else {
                    diff.differences.append(.missingColumn(table, column: column.name, type: column.type, records: records))
                    let (added, note) = addedColumn(column, table: table)
                    diff.operations.append(.addColumn(table, added, ifNotExists: false))
                    if let note { diff.notes.append(note) }
                    continue
                }
                if !ColumnTypeMatching.isCompatible(column.type, liveType: liveColumn.declaredType, dialectName: dialect.name) {
                    diff.differences.append(.typeMismatch(
                        table, column: column.name, declared: column.type, live: liveColumn.declaredType, records: records))
                }
                if !column.isPrimaryKey {
                    if !column.isNullable && !liveColumn.isNotNull {
                        diff.differences.append(.nullabilityMismatch(table, column: column.name, declaredNullable: false, records: records))
                    } else if column.isNullable && liveColumn.isRequiredOnInsert {
                        diff.differences.append(.nullabilityMismatch(table, column: column.name, declaredNullable: true, records: records))
                    }
                }
            }
            for liveColumn in live.columns where declared.column(named: liveColumn.name, caseInsensitive: caseInsensitive) == nil {
                diff.differences.append(.extraColumn(table, column: liveColumn.name))
            }
            let declaredKey = declared.columns.filter(\.isPrimaryKey).map(\.name)
            let liveKey = live.columns.filter(\.isPrimaryKey).map(\.name)
            let sameKey = declaredKey.count == liveKey.count
                && declaredKey.allSatisfy { name in liveKey.contains { names.same($0, name) } }
            if !declaredKey.isEmpty && !sameKey && declaredKey.allSatisfy({ name in live.column(named: name, caseInsensitive: caseInsensitive) != nil }) {
                diff.differences.append(.primaryKeyMismatch(table, declared: declaredKey, live: liveKey, records: records))
            }
            let liveIndexes = declared.indexes.isEmpty ? [] : try LiveIndexList.indexNames(on: table, connection: connection)
            for index in declared.indexes where !liveIndexes.contains(where: { names.same($0, index.name) }) {
                diff.add(index, on: table, records: records)
            }
        }

        let schemas = tables.reduce(into: [String?]()) { schemas, entry in
            if !schemas.contains(where: { $0 == entry.declared.table.schema }) { schemas.append(entry.declared.table.schema) }
        }
        for schema in schemas {
            for table in try LiveTableList.tables(inSchema: schema, on: connection) {
                let ignored = ignoringTables.contains { names.same($0, table.name) } || table.name.hasPrefix("_driftless_")
                if !ignored && !tables.contains(where: { names.same($0.declared.table, table) }) {
                    diff.differences.append(.extraTable(table))
                }
            }
        }
        return diff
    }

    /// A declared index the table lacks: the difference and the operation that creates it.
    private mutating func add(_ index: RecordIndex, on table: TableName, records: [String]) {
        differences.append(.missingIndex(table, index: index.name, columns: index.columns, records: records))
        operations.append(.createIndex(IndexDefinition(index.name, on: table, columns: index.columns, unique: index.isUnique)))
    }

    /// The table a record declares, as `createTable` creates it.
    private static func createDefinition(_ declared: DeclaredTable) -> TableDefinition {
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
    private static func addedColumn(
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
