extension DatabaseDriver {
    /// Runs SQL without parameters on the writing connection (DDL, pragmas).
    nonisolated(nonsending) public func execute(_ sql: String) async throws {
        try await writing { try $0.execute(sql) }
    }

    /// Runs SQL with bound values on the writing connection and returns the rows it changed.
    @discardableResult
    nonisolated(nonsending) public func execute(_ sql: String, arguments: [DatabaseValue]) async throws -> Int {
        try await writing { try $0.execute(sql, arguments: arguments) }
    }

    /// Forgets every reflected table, so plans run optimistically again (for example right
    /// after you changed the schema yourself).
    public func invalidateSchema() {
        driftContext.invalidateSchema()
    }
}
