import Driftless

/// What a record type declares about its table, with the record's generic type erased so
/// that the lint and the diff can take a list of `any Record.Type`.
struct DeclaredTable: Sendable {
    struct Column: Sendable {
        var name: String
        var type: ColumnType
        var isNullable: Bool
        var isPrimaryKey: Bool
        /// The value the record reads while the column is missing (`.null` for optionals).
        var defaultValue: DatabaseValue?
        /// The names the column had before a rename.
        var previousNames: [String] = []
    }

    /// The record type's name, for messages (`User`).
    var recordName: String
    var table: TableName
    var columns: [Column]
    var indexes: [RecordIndex]
    /// The names the table had before a rename.
    var previousTableNames: [TableName] = []
    /// What is wrong with the declaration, if anything (``RecordSchema/problem``).
    var problem: String?

    init(_ record: any Record.Type) {
        self = Self.open(record)
    }

    private init(recordName: String, table: TableName, columns: [Column], indexes: [RecordIndex], problem: String?) {
        self.recordName = recordName
        self.table = table
        self.columns = columns
        self.indexes = indexes
        self.problem = problem
    }

    private static func open<R: Record>(_ record: R.Type) -> DeclaredTable {
        let schema = R.schema
        var declared = DeclaredTable(
            recordName: String(describing: record), table: schema.table,
            columns: schema.columns.map { column in
                Column(name: column.name, type: column.type, isNullable: column.isNullable,
                       isPrimaryKey: column.isPrimaryKey, defaultValue: column.defaultValue,
                       previousNames: column.previousNames.map(\.name))
            },
            indexes: schema.indexes, problem: schema.problem)
        declared.previousTableNames = schema.previousTableNames
        return declared
    }

    func column(named name: String, caseInsensitive: Bool) -> Column? {
        caseInsensitive
            ? columns.first { $0.name.lowercased() == name.lowercased() }
            : columns.first { $0.name == name }
    }
}
