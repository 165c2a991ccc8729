/// The table and columns of a ``Record`` type: what the code believes the schema is.
///
/// Declared once, as a `static let`, so it is built and checked once per process. Problems
/// in the declaration (a duplicate column, a required column without a default) do not trap:
/// they surface as ``DriftlessError/invalidRecord(record:problem:)`` on first use.
/// (Unchecked `Sendable`: every stored property is immutable; key paths are not `Sendable`.)
public final class RecordSchema<Root>: @unchecked Sendable {
    /// The table the record is stored in.
    public let table: TableName
    /// The declared columns, in declaration order (the order of every row Driftless reads).
    public let columns: [ColumnDefinition<Root>]
    /// Indexes into ``columns`` of the primary key, in declaration order.
    public let primaryKeyIndexes: [Int]
    /// The database indexes the record declares on its table (for `check` and autogenerate;
    /// queries do not depend on them).
    public let indexes: [RecordIndex]
    /// Names the table had before a rename: used while the table of ``table``'s name does
    /// not exist.
    public let previousTableNames: [TableName]
    /// The JSON column (TEXT on SQLite, `jsonb` on PostgreSQL) that holds values of
    /// ``MissingColumnWritePolicy/keep`` columns while the table lacks them.
    public let overflowColumn: String
    /// Whether a column keeps its values in the overflow while missing: the record's
    /// statements then read and maintain ``overflowColumn`` wherever the table has it.
    public let usesOverflow: Bool
    /// Whether the record must see the live table before its first statement (it declares
    /// previous names: which name to read and whether to write both depends on it).
    let reflectsFirst: Bool
    /// The first problem found in the declaration, if any.
    public let problem: String?
    /// Each column's encoder for writing, in declaration order: a contiguous array the write
    /// path indexes without copying whole column definitions.
    @usableFromInline let encoders: [@Sendable (Root) throws(DriftlessError) -> DatabaseValue]
    /// Each column's value as stored, unchecked: for comparisons and key checks.
    let uncheckedEncoders: [@Sendable (Root) -> DatabaseValue]
    /// The first of the record type's slots in each connection's statement cache.
    @usableFromInline let planSlots: Int

    private let indexByName: [IdentifierKey: Int]
    private let indexByKeyPath: [AnyKeyPath: Int]

    /// Declares a record's table and columns.
    ///
    /// - Parameters:
    ///   - table: The table name, exactly as in the database (it is always quoted).
    ///   - schema: The PostgreSQL schema or SQLite attached database, if not the default.
    ///   - previousNames: Names the table had before a rename.
    ///   - overflowColumn: The table's overflow JSON column, for `.keep` columns.
    ///   - indexes: The indexes the table should have (see ``RecordIndex``).
    ///   - columns: The columns, in the order rows are decoded.
    public init(
        table: String, schema: String? = nil, previousNames: [String] = [],
        overflowColumn: String = RecordSchema.defaultOverflowColumn, indexes: [RecordIndex] = [],
        @ColumnsBuilder<Root> columns: () -> [ColumnDefinition<Root>]
    ) {
        let columns = columns()
        self.table = TableName(table, schema: schema)
        previousTableNames = previousNames.map { TableName($0, schema: schema) }
        self.overflowColumn = overflowColumn
        usesOverflow = columns.contains { $0.writePolicy == .keep }
        reflectsFirst = !previousNames.isEmpty || columns.contains { !$0.previousNames.isEmpty }
        self.columns = columns
        self.indexes = indexes
        primaryKeyIndexes = columns.indices.filter { columns[$0].isPrimaryKey }
        encoders = columns.map(\.encodeForWriting)
        planSlots = PlanSlots.base(for: Root.self)
        uncheckedEncoders = columns.map(\.encode)
        var byName: [IdentifierKey: Int] = [:]
        var byKeyPath: [AnyKeyPath: Int] = [:]
        var problem: String?
        if table.isEmpty { problem = "the table name is empty" }
        if columns.isEmpty { problem = problem ?? "it declares no column" }
        for (index, column) in columns.enumerated() {
            if column.name.isEmpty {
                problem = problem ?? "column \(index + 1) has an empty name"
            }
            if byName.updateValue(index, forKey: IdentifierKey(column.name, caseInsensitive: true)) != nil {
                problem = problem ?? "column \"\(column.name)\" is declared twice"
            }
            byKeyPath[column.keyPath] = index
            if IdentifierKey(column.name, caseInsensitive: true) == IdentifierKey(overflowColumn, caseInsensitive: true) {
                problem = problem ?? "column \"\(column.name)\" has the name of the overflow column"
            }
            if let defaultProblem = column.defaultProblem {
                problem = problem ?? "the default of column \"\(column.name)\" cannot be stored: \(defaultProblem)"
            }
            if column.defaultValue == nil && !column.isPrimaryKey {
                problem = problem ?? """
                    column "\(column.name)" is not optional and declares no default: add \
                    `default:` (the value it reads as while the database lacks the column)
                    """
            }
        }
        var indexNames: Set<IdentifierKey> = []
        for index in indexes {
            if index.name.isEmpty || index.columns.isEmpty {
                problem = problem ?? "an index needs a name and at least one column"
            } else if !indexNames.insert(IdentifierKey(index.name, caseInsensitive: true)).inserted {
                problem = problem ?? "index \"\(index.name)\" is declared twice"
            } else if let unknown = index.columns.first(where: { byName[IdentifierKey($0, caseInsensitive: true)] == nil }) {
                problem = problem ?? "index \"\(index.name)\" names column \"\(unknown)\", which the record does not declare"
            }
        }
        self.problem = problem
        indexByName = byName
        indexByKeyPath = byKeyPath
    }

    /// The overflow column's name unless a schema says otherwise.
    public static var defaultOverflowColumn: String { "driftless_overflow" }

    /// The index of the declared column with this name (ASCII letters compared
    /// case-insensitively, everything else byte for byte).
    public func columnIndex(named name: String) -> Int? {
        indexByName[IdentifierKey(name, caseInsensitive: true)]
    }

    /// The declared column that holds this property.
    func columnIndex(for keyPath: AnyKeyPath) -> Int? {
        indexByKeyPath[keyPath]
    }

    /// The primary key values of a record, to bind (an error names the table for a key value
    /// that cannot be stored).
    func primaryKey(of record: Root) throws(DriftlessError) -> [DatabaseValue] {
        var key: [DatabaseValue] = []
        for index in primaryKeyIndexes {
            do {
                key.append(try encoders[index](record))
            } catch {
                var error = error
                error.table = table
                throw error
            }
        }
        return key
    }

    /// Why the declaration cannot be used on a database of this dialect, or nil: the
    /// dialect-free ``problem``, then names the dialect cannot hold (NUL, or longer than
    /// PostgreSQL keeps) and defaults it cannot render so that they read back as declared
    /// (NaN on SQLite, text holding NUL on PostgreSQL). Checked when the record is first used.
    public func problem(for dialect: some SQLDialect) -> String? {
        if let problem { return problem }
        func named(_ what: String, _ name: String) -> String? {
            dialect.identifierProblem(name).map { "\(what) \(name.quoted(with: "\"")) cannot be used: \($0)" }
        }
        if let problem = named("table", table.name) ?? table.schema.flatMap({ named("schema", $0) }) { return problem }
        for previous in previousTableNames {
            if let problem = named("previous table name", previous.name) { return problem }
        }
        if usesOverflow, let problem = named("overflow column", overflowColumn) { return problem }
        for column in columns {
            if let problem = named("column", column.name) { return problem }
            for previous in column.previousNames {
                if let problem = named("previous name of column \(column.name.quoted(with: "\""))", previous.name) { return problem }
            }
            if let value = column.defaultValue, let problem = dialect.literalProblem(value, column.type) {
                return "the default of column \(column.name.quoted(with: "\"")) cannot be served as declared on \(dialect.name): \(problem)"
            }
        }
        for index in indexes {
            if let problem = named("index", index.name) { return problem }
        }
        return nil
    }

    /// Whether the record leaves its key to the database: every key column holds NULL (a
    /// `nil` id), so inserts leave the key out and the database assigns it (SQLite's rowid,
    /// PostgreSQL's identity or serial default) instead of storing NULL.
    @usableFromInline
    func leavesKeyToDatabase(_ record: Root) -> Bool {
        if primaryKeyIndexes.isEmpty { return false }
        // A loop, not `allSatisfy`: a closure capturing a record of a generic type is boxed
        // on the heap, and this runs once per inserted row.
        for index in primaryKeyIndexes where !uncheckedEncoders[index](record).isNull { return false }
        return true
    }
}
