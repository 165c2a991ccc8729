import Metrics

/// A compiled statement for one record type and one kind of operation, against the schema
/// map as it stood at one generation.
///
/// Plans are immutable and shared by every connection; each connection keeps its own
/// prepared statement beside them. A plan is current while its ``generation`` equals the
/// schema map's.
final class Plan: Sendable {
    let key: PlanKey
    let table: TableName
    /// The SQL to run; nil when the table is missing (reads answer empty, writes throw).
    let sql: String?
    let mode: PlanMode
    let generation: Int
    let layout: RowLayout
    /// For writes: the declared columns bound as parameters, in order (for an update, the
    /// assigned columns; the key follows). For an update by filter: the positions of the
    /// assignments that bind a value (the filter's values follow).
    let boundColumns: [Int]
    /// For writes: declared columns the table lacks, whose values the write policy checks
    /// (for `update(_:columns:)`, only those among its columns).
    let missingColumns: [Int]
    /// A NOT NULL column without default that the record does not declare (inserts fail).
    let unknownRequiredColumn: String?
    /// A primary key column the table lacks.
    let missingKeyColumn: String?
    /// Counts executions of a drifted plan; nil for a full plan, so the hot path skips it.
    let driftedExecutions: Counter?

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
