extension Repository {
    /// Selects columns or aggregates (``Selection``) of the rows the query matches, grouped
    /// when it is (`Query/group(by:)`), one tuple per row or
    /// group:
    ///
    /// ```swift
    /// let perPlan: [(String, Int, Double?)] = try await users.select(
    ///     User.column(\.plan), User.count(), User.average(\.visits), from: User.all().group(by: \.plan))
    /// ```
    ///
    /// A missing column is its default in every row: selected, filtered, grouped by or
    /// aggregated (see ``Selection``).
    nonisolated(nonsending) public func select<each V: DatabaseValueConvertible>(
        _ selections: repeat Selection<R, each V>, from query: Query<R> = Query()
    ) async throws -> [(repeat each V)] {
        let shapes = try ProjectionDecoding.shapes(repeat each selections)
        let decode = ProjectionDecoding.tuple(repeat (each V).self)
        return try await reading { try $0.project(query, shapes, distinct: false, decode: decode) }
    }

    /// Selects some columns of the rows the query matches, one tuple per row
    /// (`select(\.id, \.email)`); missing columns read as their defaults, as in full reads.
    nonisolated(nonsending) public func select<each V: DatabaseValueConvertible>(
        _ keyPaths: repeat KeyPath<R, each V>, from query: Query<R> = Query()
    ) async throws -> [(repeat each V)] {
        let shapes = try ProjectionDecoding.shapes(repeat each keyPaths)
        let decode = ProjectionDecoding.tuple(repeat (each V).self)
        return try await reading { try $0.project(query, shapes, distinct: false, decode: decode) }
    }

    /// The distinct values of a column over the rows the query matches (`SELECT DISTINCT`),
    /// in no particular order unless the query orders by the column. A missing column has
    /// one value, its default, when there are rows, and none when there are not.
    nonisolated(nonsending) public func distinct<V: DatabaseValueConvertible>(
        _ keyPath: KeyPath<R, V>, from query: Query<R> = Query()
    ) async throws -> [V] {
        let shapes = try ProjectionDecoding.shapes(keyPath)
        let decode = ProjectionDecoding.tuple(V.self)
        return try await reading { try $0.project(query, shapes, distinct: true, decode: decode) }
    }

    /// The value of one aggregate over the rows the query matches: `User.max(\.visits)`,
    /// `User.count(distinct: \.domain)`. Over no rows (or a missing table), `COUNT` is 0 and
    /// the others nil.
    nonisolated(nonsending) public func aggregate<V: DatabaseValueConvertible>(
        _ selection: Selection<R, V>, in query: Query<R> = Query()
    ) async throws -> V {
        let shapes = try ProjectionDecoding.shapes(selection)
        let decode = ProjectionDecoding.tuple(V.self)
        return try await reading { executor in
            try executor.aggregate(query, shapes, decode: decode)
        }
    }
}

extension Repository {
    /// Updates the rows the query matches with these assignments, in one statement, and
    /// returns how many rows matched (order and limit are ignored):
    ///
    /// ```swift
    /// try await users.updateAll(User.filter(\.id == id), set: \.role <- "admin", \.visits += 1)
    /// ```
    ///
    /// Arithmetic assignments compute in the database, so concurrent updates add up.
    /// Assignments to a column the table lacks follow its write policy (``Assignment``).
    @discardableResult
    nonisolated(nonsending) public func updateAll(_ query: Query<R> = Query(), set assignments: Assignment<R>...)
        async throws -> Int
    {
        try await updateAll(query, set: assignments)
    }

    /// Updates the rows the query matches with these assignments (see
    /// `updateAll(_:set:)`).
    @discardableResult
    nonisolated(nonsending) public func updateAll(_ query: Query<R> = Query(), set assignments: [Assignment<R>])
        async throws -> Int
    {
        try await writing { try $0.updateAll(query, assignments) }
    }

    /// Writes only these columns of the record to the row with its primary key, leaving the
    /// others as they are; throws ``DriftlessError/recordNotFound(table:key:)`` if there is no
    /// such row. Values for missing columns among them follow their write policy.
    nonisolated(nonsending) public func update(_ record: R, columns: PartialKeyPath<R>...) async throws {
        try await update(record, columns: columns)
    }

    /// Writes only these columns of the record (see `update(_:columns:)`).
    nonisolated(nonsending) public func update(_ record: R, columns: [PartialKeyPath<R>]) async throws {
        let indexes = try ProjectionDecoding.columns(columns, of: R.self)
        try await writing { try $0.update(record, columns: indexes) }
    }

    /// Deletes the row with this primary key (like ``find(_:)``). Returns whether a row was deleted.
    @discardableResult
    nonisolated(nonsending) public func delete(_ key: some DatabaseValueConvertible) async throws -> Bool {
        try await delete(key: [key.databaseValue])
    }
}

extension Repository {
    /// Runs SQL written against the record (``RecordSQL``) and maps each row to a record by
    /// column name; a column the table lacks is rendered as its default, and declared columns
    /// the result lacks read as theirs.
    nonisolated(nonsending) public func fetchAll(literal sql: RecordSQL<R>) async throws -> [R] {
        try await reading { try $0.fetchAll(literal: sql) }
    }

    /// Runs SQL written against the record (``RecordSQL``) and decodes each row, by
    /// position, into a tuple of these types.
    nonisolated(nonsending) public func select<each V: DatabaseValueConvertible>(
        literal sql: RecordSQL<R>, as types: repeat (each V).Type
    ) async throws -> [(repeat each V)] {
        let decode = ProjectionDecoding.tuple(repeat each types)
        return try await reading { try $0.select(literal: sql, decode: decode) }
    }
}

extension Repository {
    /// Loads the parent (a record of this repository) of each child, in one query per 512
    /// distinct keys: `[(child, parent or nil)]`, in the children's order (see ``BelongsTo``).
    nonisolated(nonsending) public func load<Child: Record>(_ relation: BelongsTo<Child, R>, for children: [Child])
        async throws -> [(Child, R?)]
    {
        try await reading { try $0.load(relation, for: children) }
    }

    /// Loads the children (records of this repository) of each parent, in one query per 512
    /// parents: `[(parent, children)]`, in the parents' order (see ``HasMany``).
    nonisolated(nonsending) public func load<Parent: Record>(_ relation: HasMany<Parent, R>, for parents: [Parent])
        async throws -> [(Parent, [R])]
    {
        try await reading { try $0.load(relation, for: parents) }
    }
}
