import Driftless

/// The table that records which revisions a database is at: one row per applied head, as
/// in Alembic, so that branches and merges are real (`version_num text PRIMARY KEY`).
public struct VersionTable: Sendable, Hashable {
    /// The table's name (`driftless_version`).
    public var name: String

    public init(name: String = "driftless_version") {
        self.name = name
    }

    /// `CREATE TABLE IF NOT EXISTS` for the table.
    public func createSQL(_ dialect: any SQLDialect) -> String {
        "CREATE TABLE IF NOT EXISTS \(dialect.quote(name)) (version_num text PRIMARY KEY)"
    }

    /// Creates the table, and the checksum table beside it, if they do not exist.
    public func create(on connection: some MigrationConnection) throws {
        try connection.execute(createSQL(connection.dialect), arguments: [])
        try connection.execute(createChecksumsSQL(connection.dialect), arguments: [])
    }

    /// The rows of the table; none when the table does not exist yet.
    ///
    /// On PostgreSQL a missing table aborts the enclosing transaction: inside one, call
    /// ``create(on:)`` first.
    public func read(on connection: some MigrationConnection) throws -> Set<String> {
        do {
            let rows = try connection.query("SELECT version_num FROM \(connection.dialect.quote(name))", arguments: [])
            return Set(rows.compactMap { row in
                if case .text(let id)? = row.first { return id }
                return nil
            })
        } catch let error as DatabaseError where error.kind == .undefinedTable {
            return []
        }
    }

    /// The statements that turn the rows `old` into `new`: deletes, then updates (a row
    /// replaced by its child, or a merge), then inserts (a new branch), as Alembic writes them.
    public func transition(from old: Set<String>, to new: Set<String>, order: (Set<String>) -> [String], dialect: any SQLDialect)
        -> [(sql: String, arguments: [DatabaseValue])]
    {
        let removed = order(old.subtracting(new))
        let added = order(new.subtracting(old))
        let paired = min(removed.count, added.count)
        let table = dialect.quote(name)
        let first = dialect.placeholder(1)
        let second = dialect.placeholder(2)
        var statements: [(sql: String, arguments: [DatabaseValue])] = []
        for id in removed.dropLast(paired) {
            statements.append(("DELETE FROM \(table) WHERE version_num = \(first)", [.text(id)]))
        }
        for (from, to) in zip(removed.suffix(paired), added.prefix(paired)) {
            statements.append(("UPDATE \(table) SET version_num = \(first) WHERE version_num = \(second)", [.text(to), .text(from)]))
        }
        for id in added.dropFirst(paired) {
            statements.append(("INSERT INTO \(table) (version_num) VALUES (\(first))", [.text(id)]))
        }
        return statements
    }

    /// Runs ``transition(from:to:order:dialect:)`` on a connection.
    public func write(from old: Set<String>, to new: Set<String>, order: (Set<String>) -> [String], on connection: some MigrationConnection) throws {
        for statement in transition(from: old, to: new, order: order, dialect: connection.dialect) {
            try connection.execute(statement.sql, arguments: statement.arguments)
        }
    }
}
