import Metrics

/// A compiled statement for one record type and one kind of operation, against the schema
/// map as it stood at one generation.
///
/// Plans are immutable and shared by every connection; each connection keeps its own
/// prepared statement beside them. A plan is current while its ``generation`` equals the
/// schema map's.
@usableFromInline
final class Plan: Sendable {
    @usableFromInline let key: PlanKey
    let table: TableName
    /// The SQL to run; nil when the table is missing (reads answer empty, writes throw).
    @usableFromInline let sql: String?
    let mode: PlanMode
    @usableFromInline let generation: Int
    @usableFromInline let layout: RowLayout
    /// For writes: the declared columns bound as parameters, in order (for an update, the
    /// assigned columns; the key follows). For an update by filter: the positions of the
    /// assignments that bind a value (the filter's values follow).
    @usableFromInline let boundColumns: [Int]
    /// For writes: values bound after ``boundColumns`` (per row): previous columns during a
    /// rename, values kept in the overflow. Empty on the hot path.
    @usableFromInline let extraBindings: [ExtraBinding]
    /// For writes: the parameters one record binds.
    @usableFromInline let parametersPerRow: Int
    /// For writes: declared columns the table lacks, whose values the write policy checks
    /// (for `update(_:columns:)`, only those among its columns).
    @usableFromInline let missingColumns: [Int]
    /// For writes: declared columns the table lacks whose values go to the overflow.
    @usableFromInline let keptColumns: [Int]
    /// Whether the record keeps values in an overflow column the table does not have: a
    /// value for a missing `.keep` column then cannot be written.
    @usableFromInline let lacksOverflow: Bool
    /// A NOT NULL column without default that the record does not declare (inserts fail).
    @usableFromInline let unknownRequiredColumn: String?
    /// A primary key column the table lacks.
    @usableFromInline let missingKeyColumn: String?
    /// Counts executions of a drifted plan; nil for a full plan, so the hot path skips it.
    @usableFromInline let driftedExecutions: Counter?
    /// For inserts: whether the rows are exactly the bound columns of the declared table, so
    /// a backend's bulk path (COPY) may send them; not while a rename or the overflow adds
    /// values or changes names.
    @usableFromInline let bindsOnlyDeclaredColumns: Bool

    init(key: PlanKey, table: TableName, sql: String?, mode: PlanMode, generation: Int, layout: RowLayout,
         boundColumns: [Int] = [], extraBindings: [ExtraBinding] = [], missingColumns: [Int] = [],
         keptColumns: [Int] = [], lacksOverflow: Bool = false, unknownRequiredColumn: String? = nil,
         missingKeyColumn: String? = nil, watchesSchema: Bool = false) {
        self.key = key
        self.table = table
        self.sql = sql
        self.mode = mode
        self.generation = generation
        self.layout = layout
        self.boundColumns = boundColumns
        self.extraBindings = extraBindings
        parametersPerRow = boundColumns.count + extraBindings.count
        self.missingColumns = missingColumns
        self.keptColumns = keptColumns
        self.lacksOverflow = lacksOverflow
        self.unknownRequiredColumn = unknownRequiredColumn
        self.missingKeyColumn = missingKeyColumn
        bindsOnlyDeclaredColumns = extraBindings.isEmpty && !watchesSchema
        // A plan that reads a previous name watches for catch-up too: once both columns of a
        // rename exist, its writes must go to both.
        driftedExecutions = mode.isDrifted || watchesSchema
            ? Counter(label: "driftless_projected_queries_total", dimensions: [("table", table.description)])
            : nil
    }
}

extension Plan {
    /// A value a write binds beyond a present column's own.
    @usableFromInline
    enum ExtraBinding: Sendable {
        /// A declared column's value written to its previous column too (through the inverse
        /// of the conversion, if any).
        case previous(column: Int, conversion: ValueConversion?)
        /// A declared column's value kept in the overflow, as JSON text.
        case overflow(column: Int)
    }
}
