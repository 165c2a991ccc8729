/// A relation between two records by a declared foreign key, for loading the related
/// records of a batch in one extra query (a chunk of up to 512 keys per query), as Fluent's
/// eager loading does.
///
/// ```swift
/// extension Post { static let author = BelongsTo<Post, User>(\.authorID) }
/// extension User { static let posts = HasMany<User, Post>(\.authorID) }
///
/// let withAuthors = try await users.load(Post.author, for: posts)   // [(Post, User?)]
/// let withPosts = try await posts.load(User.posts, for: someUsers)  // [(User, [Post])]
/// ```
///
/// Each table is drift-tolerant on its own: a missing foreign-key column reads as its
/// default (so it matches the parent with that key, if any), and a missing related table has
/// no rows, so nothing is related.
public struct BelongsTo<Child: Record, Parent: Record>: Sendable {
    let foreignKey: @Sendable (Child) -> DatabaseValue

    /// The child's column holding the parent's (single-column) primary key.
    public init<Key: DatabaseValueConvertible>(_ foreignKey: KeyPath<Child, Key> & Sendable) {
        self.foreignKey = { $0[keyPath: foreignKey].databaseValue }
    }
}

/// The other side of a ``BelongsTo``: a parent's children, by their foreign-key column.
public struct HasMany<Parent: Record, Child: Record>: Sendable {
    let foreignKey: ColumnReference
    let value: @Sendable (Child) -> DatabaseValue

    /// The child's column holding the parent's (single-column) primary key.
    public init<Key: DatabaseValueConvertible>(_ foreignKey: KeyPath<Child, Key> & Sendable) {
        self.foreignKey = Condition<Child>.column(foreignKey)
        value = { $0[keyPath: foreignKey].databaseValue }
    }
}

/// What loading relations needs of both repositories: key chunks and matching.
enum RelationLoading {
    /// The most keys one query binds.
    static let chunkSize = 512

    /// Distinct non-NULL keys in chunks whose sizes are powers of two (the last padded by
    /// repeating a key), so that any batch uses one of a few cached plans.
    static func chunks(_ keys: [DatabaseValue]) -> [[DatabaseValue]] {
        var seen: Set<DatabaseValue> = []
        let distinct = keys.filter { !$0.isNull && seen.insert($0).inserted }
        var chunks: [[DatabaseValue]] = []
        var start = 0
        while start < distinct.count {
            var chunk = Array(distinct[start..<min(start + chunkSize, distinct.count)])
            var size = 1
            while size < chunk.count { size *= 2 }
            chunk += Array(repeating: chunk[chunk.count - 1], count: size - chunk.count)
            chunks.append(chunk)
            start += chunkSize
        }
        return chunks
    }

    /// The declared index of a record type's single primary key column, or the error why
    /// it has none.
    static func keyColumn<R: Record>(of _: R.Type) throws -> Int {
        let schema = R.schema
        guard schema.primaryKeyIndexes.count == 1 else {
            if schema.primaryKeyIndexes.isEmpty { throw DriftlessError.noPrimaryKey(record: "\(R.self)") }
            throw DriftlessError.invalidQuery(.keyValueCount, record: "\(R.self)",
                                              detail: "relations need a single-column primary key on \(R.self)")
        }
        return schema.primaryKeyIndexes[0]
    }

    /// A condition matching `column IN chunk`.
    static func condition<R: Record>(_ column: ColumnReference, in chunk: [DatabaseValue], of _: R.Type) -> Condition<R> {
        Condition(.in(column, count: chunk.count), chunk)
    }
}

extension RecordExecutor {
    /// The records whose `column` is one of `keys`, one query per chunk of keys.
    func fetchAll(where column: ColumnReference, in keys: [DatabaseValue]) throws -> [R] {
        var records: [R] = []
        for chunk in RelationLoading.chunks(keys) {
            records += try fetchAll(Query<R>().filter(RelationLoading.condition(column, in: chunk, of: R.self)))
        }
        return records
    }

    /// Each child with its parent (nil when none has its key).
    func load<Child: Record>(_ relation: BelongsTo<Child, R>, for children: [Child]) throws -> [(Child, R?)] {
        let key = try RelationLoading.keyColumn(of: R.self)
        let parents = try fetchAll(where: .declared(key), in: children.map(relation.foreignKey))
        var byKey: [DatabaseValue: R] = [:]
        for parent in parents { byKey[R.schema.uncheckedEncoders[key](parent)] = parent }
        return children.map { ($0, byKey[relation.foreignKey($0)]) }
    }

    /// Each parent with its children, in the order the child table returns them.
    func load<Parent: Record>(_ relation: HasMany<Parent, R>, for parents: [Parent]) throws -> [(Parent, [R])] {
        let key = try RelationLoading.keyColumn(of: Parent.self)
        let keys = parents.map(Parent.schema.uncheckedEncoders[key])
        let children = try fetchAll(where: relation.foreignKey, in: keys)
        var byKey: [DatabaseValue: [R]] = [:]
        for child in children { byKey[relation.value(child), default: []].append(child) }
        return zip(parents, keys).map { ($0, byKey[$1] ?? []) }
    }
}
