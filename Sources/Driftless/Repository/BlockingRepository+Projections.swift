extension BlockingRepository {
    /// Selects columns or aggregates of the rows the query matches, one tuple per row or
    /// group (see `Repository/select(_:from:)`).
    @available(*, noasync, message: "use Repository's async select")
    public func select<each V: DatabaseValueConvertible>(_ selections: repeat Selection<R, each V>, from query: Query<R> = Query()) throws
        -> [(repeat each V)]
    {
        let shapes = try ProjectionDecoding.shapes(repeat each selections)
        let decode = ProjectionDecoding.tuple(repeat (each V).self)
        return try reading { try $0.project(query, shapes, distinct: false, decode: decode) }
    }

    /// Selects some columns of the rows the query matches, one tuple per row.
    @available(*, noasync, message: "use Repository's async select")
    public func select<each V: DatabaseValueConvertible>(_ keyPaths: repeat KeyPath<R, each V>, from query: Query<R> = Query()) throws
        -> [(repeat each V)]
    {
        let shapes = try ProjectionDecoding.shapes(repeat each keyPaths)
        let decode = ProjectionDecoding.tuple(repeat (each V).self)
        return try reading { try $0.project(query, shapes, distinct: false, decode: decode) }
    }

    /// The distinct values of a column over the rows the query matches (see
    /// ``Repository/distinct(_:from:)``).
    @available(*, noasync, message: "use Repository's async distinct")
    public func distinct<V: DatabaseValueConvertible>(_ keyPath: KeyPath<R, V>, from query: Query<R> = Query()) throws -> [V] {
        let shapes = try ProjectionDecoding.shapes(keyPath)
        let decode = ProjectionDecoding.tuple(V.self)
        return try reading { try $0.project(query, shapes, distinct: true, decode: decode) }
    }

    /// The value of one aggregate over the rows the query matches (see
    /// ``Repository/aggregate(_:in:)``).
    @available(*, noasync, message: "use Repository's async aggregate")
    public func aggregate<V: DatabaseValueConvertible>(_ selection: Selection<R, V>, in query: Query<R> = Query()) throws -> V {
        let shapes = try ProjectionDecoding.shapes(selection)
        let decode = ProjectionDecoding.tuple(V.self)
        return try reading { try $0.aggregate(query, shapes, decode: decode) }
    }
}

extension BlockingRepository {
    /// Updates the rows the query matches with these assignments and returns how many rows
    /// matched (see `Repository/updateAll(_:set:)`).
    @discardableResult
    @available(*, noasync, message: "use Repository's async updateAll")
    public func updateAll(_ query: Query<R> = Query(), set assignments: Assignment<R>...) throws -> Int {
        try updateAll(query, set: assignments)
    }

    /// Updates the rows the query matches with these assignments.
    @discardableResult
    @available(*, noasync, message: "use Repository's async updateAll")
    public func updateAll(_ query: Query<R> = Query(), set assignments: [Assignment<R>]) throws -> Int {
        try writing { try $0.updateAll(query, assignments) }
    }

    /// Writes only these columns of the record (see `Repository/update(_:columns:)`).
    @available(*, noasync, message: "use Repository's async update(_:columns:)")
    public func update(_ record: R, columns: PartialKeyPath<R>...) throws {
        try update(record, columns: columns)
    }

    /// Writes only these columns of the record.
    @available(*, noasync, message: "use Repository's async update(_:columns:)")
    public func update(_ record: R, columns: [PartialKeyPath<R>]) throws {
        let indexes = try ProjectionDecoding.columns(columns, of: R.self)
        try writing { try $0.update(record, columns: indexes) }
    }

    /// Deletes the row with this primary key (like ``find(_:)``). Returns whether a row was deleted.
    @discardableResult
    @available(*, noasync, message: "use Repository's async delete")
    public func delete(_ key: some DatabaseValueConvertible) throws -> Bool {
        try delete(key: [key.databaseValue])
    }
}

extension BlockingRepository {
    /// Runs SQL written against the record and maps rows to records by column name (see
    /// ``Repository/fetchAll(literal:)``).
    @available(*, noasync, message: "use Repository's async fetchAll(literal:)")
    public func fetchAll(literal sql: RecordSQL<R>) throws -> [R] {
        try reading { try $0.fetchAll(literal: sql) }
    }

    /// Runs SQL written against the record and decodes each row into a tuple (see
    /// ``Repository/select(literal:as:)``).
    @available(*, noasync, message: "use Repository's async select(literal:as:)")
    public func select<each V: DatabaseValueConvertible>(literal sql: RecordSQL<R>, as types: repeat (each V).Type) throws
        -> [(repeat each V)]
    {
        let decode = ProjectionDecoding.tuple(repeat each types)
        return try reading { try $0.select(literal: sql, decode: decode) }
    }
}

extension BlockingRepository {
    /// Loads the parent of each child (see `Repository/load(_:for:)`).
    @available(*, noasync, message: "use Repository's async load(_:for:)")
    public func load<Child: Record>(_ relation: BelongsTo<Child, R>, for children: [Child]) throws -> [(Child, R?)] {
        try reading { try $0.load(relation, for: children) }
    }

    /// Loads the children of each parent (see `Repository/load(_:for:)`).
    @available(*, noasync, message: "use Repository's async load(_:for:)")
    public func load<Parent: Record>(_ relation: HasMany<Parent, R>, for parents: [Parent]) throws -> [(Parent, [R])] {
        try reading { try $0.load(relation, for: parents) }
    }
}
