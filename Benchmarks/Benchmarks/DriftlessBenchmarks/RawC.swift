import RawSQLite

/// The raw SQLite C API contender, and the helpers every benchmark uses to build its file.
///
/// Opened the way Driftless opens a connection (extended result codes, double-quoted
/// strings off, WAL, `synchronous = NORMAL`), so that the comparison is about the code above
/// SQLite and not about its configuration.
final class RawConnection {
    let handle: OpaquePointer

    init(path: String) throws {
        var connection: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        guard sqlite3_open_v2(path, &connection, flags, nil) == SQLITE_OK, let connection else {
            sqlite3_close_v2(connection)
            throw BenchmarkFailure("cannot open \(path)")
        }
        handle = connection
        sqlite3_extended_result_codes(connection, 1)
        _ = raw_sqlite3_disable_double_quoted_strings(connection)
        try execute("PRAGMA journal_mode = WAL")
        try execute("PRAGMA synchronous = NORMAL")
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    var errorMessage: String { String(cString: sqlite3_errmsg(handle)) }

    func execute(_ sql: String) throws {
        guard sqlite3_exec(handle, sql, nil, nil, nil) == SQLITE_OK else {
            throw BenchmarkFailure("\(sql): \(errorMessage)")
        }
    }

    /// Prepares a statement; the error (for example `no such column: plan`) is thrown.
    func prepare(_ sql: String) throws -> OpaquePointer {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            sqlite3_finalize(statement)
            throw BenchmarkFailure(errorMessage)
        }
        return statement
    }

    /// The number of rows of `items`.
    func count() throws -> Int {
        let statement = try prepare("SELECT count(*) FROM items")
        defer { sqlite3_finalize(statement) }
        guard sqlite3_step(statement) == SQLITE_ROW else { throw BenchmarkFailure(errorMessage) }
        return Int(sqlite3_column_int64(statement, 0))
    }

    /// Creates the 10-column table and fills it with ``Fixture/items`` in one transaction.
    func createItems(populated: Bool = true) throws {
        try execute(Fixture.createTable)
        guard populated else { return }
        try execute("BEGIN IMMEDIATE")
        let statement = try prepare(Fixture.insert)
        defer { sqlite3_finalize(statement) }
        for item in Fixture.items { try insert(item, with: statement) }
        try execute("COMMIT")
    }

    @inline(__always)
    func insert(_ item: Item, with statement: OpaquePointer) throws {
        defer { sqlite3_reset(statement) }
        bindItem(item, to: statement)
        guard sqlite3_step(statement) == SQLITE_DONE else { throw BenchmarkFailure(errorMessage) }
    }
}

// MARK: Binding and decoding by column index, as a hand-written C loop would

@inline(__always)
func bindText(_ text: String, to statement: OpaquePointer, at index: Int32) {
    var text = text
    _ = text.withUTF8 { bytes in
        raw_sqlite3_bind_text(statement, index, UnsafeRawPointer(bytes.baseAddress!).assumingMemoryBound(to: CChar.self),
                              Int32(bytes.count))
    }
}

@inline(__always)
func bindOptionalText(_ text: String?, to statement: OpaquePointer, at index: Int32) {
    if let text { bindText(text, to: statement, at: index) } else { sqlite3_bind_null(statement, index) }
}

@inline(__always)
func bindItem(_ item: Item, to statement: OpaquePointer) {
    sqlite3_bind_int64(statement, 1, item.id)
    bindText(item.name, to: statement, at: 2)
    bindOptionalText(item.email, to: statement, at: 3)
    sqlite3_bind_int64(statement, 4, item.age)
    sqlite3_bind_double(statement, 5, item.score)
    bindText(item.city, to: statement, at: 6)
    bindText(item.country, to: statement, at: 7)
    sqlite3_bind_int64(statement, 8, item.visits)
    sqlite3_bind_double(statement, 9, item.balance)
    bindOptionalText(item.note, to: statement, at: 10)
}

@inline(__always)
func columnText(_ statement: OpaquePointer, _ index: Int32) -> String {
    guard let text = sqlite3_column_text(statement, index) else { return "" }
    return String(decoding: UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(statement, index))),
                  as: UTF8.self)
}

@inline(__always)
func columnOptionalText(_ statement: OpaquePointer, _ index: Int32) -> String? {
    sqlite3_column_type(statement, index) == SQLITE_NULL ? nil : columnText(statement, index)
}

/// Decodes the current row of a statement whose first 10 columns are ``Fixture/columnList``.
@inline(__always)
func decodeItem(_ statement: OpaquePointer) -> Item {
    Item(
        id: sqlite3_column_int64(statement, 0),
        name: columnText(statement, 1),
        email: columnOptionalText(statement, 2),
        age: sqlite3_column_int64(statement, 3),
        score: sqlite3_column_double(statement, 4),
        city: columnText(statement, 5),
        country: columnText(statement, 6),
        visits: sqlite3_column_int64(statement, 7),
        balance: sqlite3_column_double(statement, 8),
        note: columnOptionalText(statement, 9))
}

/// The raw contender: one connection, each statement prepared once and reused.
final class RawContender {
    let connection: RawConnection
    private let find: OpaquePointer
    private let scan: OpaquePointer
    private let insert: OpaquePointer

    init(path: String) throws {
        connection = try RawConnection(path: path)
        find = try connection.prepare(Fixture.selectByKey)
        scan = try connection.prepare(Fixture.selectAll)
        insert = try connection.prepare(Fixture.insert)
    }

    deinit {
        sqlite3_finalize(find)
        sqlite3_finalize(scan)
        sqlite3_finalize(insert)
    }

    /// One autocommit statement.
    @inline(__always)
    func find(_ key: Int64) throws -> Item? {
        defer { sqlite3_reset(find) }
        sqlite3_bind_int64(find, 1, key)
        switch sqlite3_step(find) {
        case SQLITE_ROW: return decodeItem(find)
        case SQLITE_DONE: return nil
        default: throw BenchmarkFailure(connection.errorMessage)
        }
    }

    func fetchAll() throws -> [Item] {
        defer { sqlite3_reset(scan) }
        var items: [Item] = []
        while true {
            switch sqlite3_step(scan) {
            case SQLITE_ROW: items.append(decodeItem(scan))
            case SQLITE_DONE: return items
            default: throw BenchmarkFailure(connection.errorMessage)
            }
        }
    }

    func insert(contentsOf items: [Item]) throws {
        try connection.execute("BEGIN IMMEDIATE")
        do {
            for item in items { try connection.insert(item, with: insert) }
            try connection.execute("COMMIT")
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }
}
