extension DatabaseDriver {
    /// Creates, from their declarations, the tables of these records that do not exist (the
    /// "create_all" fallback a startup call uses when migrating failed), and returns them.
    ///
    /// Existing tables are left as they are, whatever columns they lack: runtime tolerance
    /// covers those. The same SQL as ``DriftConfiguration/createMissingTables`` runs.
    @discardableResult
    nonisolated(nonsending) public func createMissingTables(for records: [any Record.Type]) async throws -> [TableName] {
        let database = self
        let created = try await writing { try database.createMissingTables(for: records, on: $0) }
        if !created.isEmpty { invalidateSchema() }
        return created
    }

    func createMissingTables(for records: [any Record.Type], on connection: Connection) throws -> [TableName] {
        try records.compactMap { try createTableIfMissing($0, on: connection) }
    }

    private func createTableIfMissing<R: Record>(_ record: R.Type, on connection: Connection) throws -> TableName? {
        if let problem = R.schema.problem(for: connection.dialect) {
            throw DriftlessError.invalidRecord(record: "\(R.self)", problem: problem)
        }
        let table = R.schema.table
        guard try connection.reflectTable(table) == nil else { return nil }
        try connection.execute(TableCreator<R>(dialect: connection.dialect).createTableSQL)
        driftContext.configuration.logger.notice("created missing table from its record declaration",
                                                 metadata: ["table": "\(table)", "record": "\(R.self)"])
        return table
    }
}
