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
    /// assigned columns; the key follows).
    @usableFromInline let boundColumns: [Int]
    /// For writes: declared columns the table lacks, whose values the write policy checks.
    @usableFromInline let missingColumns: [Int]
    /// A NOT NULL column without default that the record does not declare (inserts fail).
    @usableFromInline let unknownRequiredColumn: String?
    /// A primary key column the table lacks.
    @usableFromInline let missingKeyColumn: String?
    /// Counts executions of a drifted plan; nil for a full plan, so the hot path skips it.
    @usableFromInline let driftedExecutions: Counter?

    init(key: PlanKey, table: TableName, sql: String?, mode: PlanMode, generation: Int, layout: RowLayout,
         boundColumns: [Int] = [], missingColumns: [Int] = [], unknownRequiredColumn: String? = nil,
         missingKeyColumn: String? = nil) {
        self.key = key
        self.table = table
        self.sql = sql
        self.mode = mode
        self.generation = generation
        self.layout = layout
        self.boundColumns = boundColumns
        self.missingColumns = missingColumns
        self.unknownRequiredColumn = unknownRequiredColumn
        self.missingKeyColumn = missingKeyColumn
        driftedExecutions = mode.isDrifted
            ? Counter(label: "driftless_projected_queries_total", dimensions: [("table", table.description)])
            : nil
    }
}
