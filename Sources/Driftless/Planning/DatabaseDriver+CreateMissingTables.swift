extension DatabaseDriver {
    /// Creates, from their declarations, the tables of these records that do not exist (the
    /// "create_all" fallback a startup call uses when migrating failed), and returns them.
    ///
    /// Existing tables are left as they are, whatever columns they lack: runtime tolerance
    /// covers those. The same SQL as ``DriftConfiguration/createMissingTables`` runs.
    @discardableResult
    public func createMissingTables(for records: [any Record.Type]) throws -> [TableName] {
        let created = try write { connection in
            try records.compactMap { try createTableIfMissing($0, on: connection) }
        }
        if !created.isEmpty { invalidateSchema() }
        return created
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
