/// How each record type's declaration compares with the live database.
public struct DriftReport: Sendable, CustomStringConvertible {
    /// One record type's comparison.
    public struct Entry: Sendable, Hashable {
        public var record: String
        public var table: TableName
        public var tableExists: Bool
        /// Declared columns the table lacks (read as defaults).
        public var missingColumns: [String]
        /// Columns of the table the record does not declare (left alone on reads and writes).
        public var extraColumns: [String]
        /// The mode the record's plans run in.
        public var mode: PlanMode
    }

    public var entries: [Entry]

    /// Whether every record matches its table.
    public var isClean: Bool { entries.allSatisfy { !$0.mode.isDrifted } }

    /// A plain-text table, one line per record type.
    public var description: String {
        TextTable(
            header: ["record", "table", "mode", "missing columns", "extra columns"],
            rows: entries.map { entry in
                [entry.record, entry.table.description,
                 entry.tableExists ? (entry.mode.isDrifted ? "projected" : "full") : "table missing",
                 entry.missingColumns.isEmpty ? "-" : entry.missingColumns.joined(separator: ", "),
                 entry.extraColumns.isEmpty ? "-" : entry.extraColumns.joined(separator: ", ")]
            }
        ).description
    }
}

extension DriftReport.Entry {
    init<R: Record>(record: R.Type, state: TableState, dialect: any SQLDialect) {
        let schema = R.schema
        self.record = "\(R.self)"
        table = schema.table
        switch state {
        case .missing, .unknown:
            tableExists = false
            missingColumns = schema.columns.map(\.name)
            extraColumns = []
            mode = .tableMissing
        case .present(let live):
            tableExists = true
            missingColumns = schema.columns.map(\.name).filter {
                live.column(named: $0, caseInsensitive: dialect.identifiersAreCaseInsensitive) == nil
            }
            extraColumns = live.columns.map(\.name).filter { schema.columnIndex(named: $0) == nil }
            mode = missingColumns.isEmpty ? .full : .projected(missing: missingColumns)
        }
    }
}

extension DatabaseDriver {
    /// Reflects the table of each record type and compares it with the declaration. The
    /// reflections also update the schema map, so drifted records switch to projected plans
    /// without a failing attempt.
    nonisolated(nonsending) public func driftReport(for records: [any Record.Type]) async throws -> DriftReport {
        let database = self
        return try await reading { try database.driftReport(for: records, on: $0) }
    }

    func driftReport(for records: [any Record.Type], on connection: Connection) throws -> DriftReport {
        DriftReport(entries: try records.map { try reportEntry(for: $0, on: connection) })
    }

    private func reportEntry<R: Record>(for record: R.Type, on connection: Connection) throws -> DriftReport.Entry {
        let context = driftContext
        if let problem = R.schema.problem(for: context.dialect) {
            throw DriftlessError.invalidRecord(record: "\(R.self)", problem: problem)
        }
        try context.reflect(R.self, on: connection)
        return DriftReport.Entry(record: R.self, state: context.schemaMap.state(of: R.schema.table),
                                 dialect: context.dialect)
    }
}
