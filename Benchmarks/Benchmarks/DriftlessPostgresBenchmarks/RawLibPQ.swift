import Foundation
import RawLibPQ

/// A libpq connection, as hand-written C code holds one; also builds every benchmark's
/// tables. Text-format parameters and results, as most libpq code (and Driftless) uses.
final class RawPG {
    let handle: OpaquePointer

    init(parameters: [(keyword: String, value: String)]) throws {
        let all = parameters + [("client_encoding", "UTF8")]
        var keywords = all.map { UnsafePointer(strdup($0.keyword)) } + [nil]
        var values = all.map { UnsafePointer(strdup($0.value)) } + [nil]
        defer { for pointer in keywords + values { free(UnsafeMutablePointer(mutating: pointer)) } }
        guard let handle = PQconnectdbParams(&keywords, &values, 0) else { throw BenchmarkFailure("PQconnectdbParams: out of memory") }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(handle))
            PQfinish(handle)
            throw BenchmarkFailure("cannot connect: \(message)")
        }
        self.handle = handle
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
    }

    deinit {
        PQfinish(handle)
    }

    var errorMessage: String { String(cString: PQerrorMessage(handle)) }

    /// Runs SQL without parameters (possibly several statements).
    func execute(_ sql: String) throws {
        let result = PQexec(handle, sql)
        defer { PQclear(result) }
        try check(result, sql)
    }

    /// Prepares a named statement once.
    func prepare(_ name: String, _ sql: String) throws {
        let result = PQprepare(handle, name, sql, 0, nil)
        defer { PQclear(result) }
        try check(result, sql)
    }

    /// The number of rows of a table.
    func count(_ table: String = "items") throws -> Int {
        let result = PQexec(handle, "SELECT count(*) FROM \(table)")
        defer { PQclear(result) }
        try check(result, "count")
        return Int(strtoll(PQgetvalue(result, 0, 0), nil, 10))
    }

    @inline(__always)
    func check(_ result: OpaquePointer?, _ what: String) throws {
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_SINGLE_TUPLE: return
        default: throw BenchmarkFailure("\(what): \(errorMessage)")
        }
    }
}

// MARK: Parameters and decoding, as a hand-written libpq loop would do them

/// Text parameters for one execution: the values' bytes NUL-terminated in one reused
/// buffer, and the pointer array libpq takes.
final class ParameterBuffer {
    private var bytes: UnsafeMutablePointer<CChar>
    private var capacity = 4096
    private var used = 0
    private var offsets: [Int] = []   // -1 for NULL
    private var pointers: [UnsafePointer<CChar>?] = []

    init() {
        bytes = .allocate(capacity: capacity)
        offsets.reserveCapacity(16)
        pointers.reserveCapacity(16)
    }

    deinit { bytes.deallocate() }

    @inline(__always)
    func reset() {
        used = 0
        offsets.removeAll(keepingCapacity: true)
    }

    @inline(__always)
    func append(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            if used + utf8.count + 1 > capacity { grow(to: (used + utf8.count + 1) * 2) }
            UnsafeMutableRawPointer(bytes + used).copyMemory(from: utf8.baseAddress!, byteCount: utf8.count)
            bytes[used + utf8.count] = 0
            offsets.append(used)
            used += utf8.count + 1
        }
    }

    @inline(__always)
    func append(_ text: String?) {
        if let text { append(text) } else { offsets.append(-1) }
    }

    @inline(__always) func append(_ value: Int64) { append(String(value)) }
    @inline(__always) func append(_ value: Double) { append(value.description) }

    private func grow(to newCapacity: Int) {
        let bigger = UnsafeMutablePointer<CChar>.allocate(capacity: newCapacity)
        bigger.update(from: bytes, count: used)
        bytes.deallocate()
        bytes = bigger
        capacity = newCapacity
    }

    /// Calls `body` with the parameter count and values, as `PQexecPrepared` takes them.
    @inline(__always)
    func withValues<T>(_ body: (Int32, UnsafePointer<UnsafePointer<CChar>?>) -> T) -> T {
        pointers.removeAll(keepingCapacity: true)
        for offset in offsets { pointers.append(offset < 0 ? nil : UnsafePointer(bytes + offset)) }
        return pointers.withUnsafeBufferPointer { body(Int32($0.count), $0.baseAddress!) }
    }

    /// The columns of an ``Item`` as `$1`...`$10`.
    @inline(__always)
    func set(_ item: Item) {
        reset()
        appendColumns(of: item)
    }

    /// Appends the 10 columns of an ``Item``.
    @inline(__always)
    func appendColumns(of item: Item) {
        append(item.id)
        append(item.name)
        append(item.email)
        append(item.age)
        append(item.score)
        append(item.city)
        append(item.country)
        append(item.visits)
        append(item.balance)
        append(item.note)
    }
}

@inline(__always)
func columnInt64(_ result: OpaquePointer, _ row: Int32, _ column: Int32) -> Int64 {
    strtoll(PQgetvalue(result, row, column), nil, 10)
}

@inline(__always)
func columnDouble(_ result: OpaquePointer, _ row: Int32, _ column: Int32) -> Double {
    strtod(PQgetvalue(result, row, column), nil)
}

@inline(__always)
func columnText(_ result: OpaquePointer, _ row: Int32, _ column: Int32) -> String {
    String(decoding: UnsafeRawBufferPointer(start: PQgetvalue(result, row, column),
                                            count: Int(PQgetlength(result, row, column))), as: UTF8.self)
}

@inline(__always)
func columnOptionalText(_ result: OpaquePointer, _ row: Int32, _ column: Int32) -> String? {
    PQgetisnull(result, row, column) != 0 ? nil : columnText(result, row, column)
}

/// Decodes a row whose first 10 columns are ``Fixture/columnList``.
@inline(__always)
func decodeItem(_ result: OpaquePointer, _ row: Int32) -> Item {
    Item(
        id: columnInt64(result, row, 0),
        name: columnText(result, row, 1),
        email: columnOptionalText(result, row, 2),
        age: columnInt64(result, row, 3),
        score: columnDouble(result, row, 4),
        city: columnText(result, row, 5),
        country: columnText(result, row, 6),
        visits: columnInt64(result, row, 7),
        balance: columnDouble(result, row, 8),
        note: columnOptionalText(result, row, 9))
}

/// The raw libpq contender: one connection, each statement prepared once (`PQprepare`) and
/// run with `PQexecPrepared`, results decoded by column index into the same ``Item``.
final class RawContender {
    let connection: RawPG
    private let parameters = ParameterBuffer()

    init(schema: BenchSchema) throws {
        connection = try RawPG(parameters: schema.parameters)
        try connection.prepare("find", Fixture.selectByKey)
        try connection.prepare("scan", Fixture.selectAll)
        try connection.prepare("insert", Fixture.insert)
        try connection.prepare("insert_many", Fixture.insertMany(RawContender.rowsPerStatement))
    }

    /// One autocommit statement: one round trip.
    @inline(__always)
    func find(_ key: Int64) throws -> Item? {
        parameters.reset()
        parameters.append(key)
        let result = parameters.withValues { count, values in
            PQexecPrepared(connection.handle, "find", count, values, nil, nil, 0)
        }
        defer { PQclear(result) }
        try connection.check(result, "find")
        return PQntuples(result) == 0 ? nil : decodeItem(result!, 0)
    }

    func fetchAll() throws -> [Item] {
        let result = PQexecPrepared(connection.handle, "scan", 0, nil, nil, nil, 0)
        defer { PQclear(result) }
        try connection.check(result, "scan")
        let count = PQntuples(result)
        var items: [Item] = []
        for row in 0..<count { items.append(decodeItem(result!, row)) }
        return items
    }

    /// One transaction, one `PQexecPrepared` (one round trip) per row.
    func insert(contentsOf items: [Item]) throws {
        try connection.execute("BEGIN")
        do {
            for item in items {
                parameters.set(item)
                let result = parameters.withValues { count, values in
                    PQexecPrepared(connection.handle, "insert", count, values, nil, nil, 0)
                }
                defer { PQclear(result) }
                try connection.check(result, "insert")
            }
            try connection.execute("COMMIT")
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    /// One transaction in pipeline mode (libpq 14+): rows are sent with `PQsendQueryPrepared`
    /// without waiting for their results, with a sync every 1,000 rows (so that neither side's
    /// socket buffer can fill while the other waits), then those results are read. The batch
    /// reference: the same 10,000 executions without a round trip each.
    func insertPipelined(contentsOf items: [Item], chunk: Int = 1_000) throws {
        let handle = connection.handle
        try connection.execute("BEGIN")
        do {
            guard PQenterPipelineMode(handle) == 1 else { throw BenchmarkFailure("pipeline: \(connection.errorMessage)") }
            var start = items.startIndex
            while start < items.endIndex {
                let end = min(start + chunk, items.endIndex)
                for item in items[start..<end] {
                    parameters.set(item)
                    let sent = parameters.withValues { count, values in
                        PQsendQueryPrepared(handle, "insert", count, values, nil, nil, 0)
                    }
                    guard sent == 1 else { throw BenchmarkFailure("send: \(connection.errorMessage)") }
                }
                guard PQpipelineSync(handle) == 1 else { throw BenchmarkFailure("sync: \(connection.errorMessage)") }
                var failure: String?
                var remaining = end - start
                while remaining > 0 {
                    guard let result = PQgetResult(handle) else { continue }   // NULL ends one query's results
                    if PQresultStatus(result) != PGRES_COMMAND_OK, failure == nil { failure = connection.errorMessage }
                    PQclear(result)
                    remaining -= 1
                }
                while true {   // up to this chunk's sync
                    guard let result = PQgetResult(handle) else { continue }
                    let status = PQresultStatus(result)
                    PQclear(result)
                    if status == PGRES_PIPELINE_SYNC { break }
                }
                if let failure { throw BenchmarkFailure("insert: \(failure)") }
                start = end
            }
            guard PQexitPipelineMode(handle) == 1 else { throw BenchmarkFailure("exit pipeline: \(connection.errorMessage)") }
            try connection.execute("COMMIT")
        } catch {
            _ = PQexitPipelineMode(handle)
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    /// Rows per statement of ``insertMultiRow(contentsOf:)``.
    static let rowsPerStatement = 1_000

    /// One transaction, one prepared multi-row `INSERT ... VALUES (...), (...), ...` of
    /// 1,000 rows (10,000 parameters) per execution: 10 round trips for 10,000 rows. The
    /// other batch reference.
    func insertMultiRow(contentsOf items: [Item]) throws {
        precondition(items.count % Self.rowsPerStatement == 0)
        try connection.execute("BEGIN")
        do {
            var start = items.startIndex
            while start < items.endIndex {
                parameters.reset()
                for item in items[start..<start + Self.rowsPerStatement] { parameters.appendColumns(of: item) }
                let result = parameters.withValues { count, values in
                    PQexecPrepared(connection.handle, "insert_many", count, values, nil, nil, 0)
                }
                defer { PQclear(result) }
                try connection.check(result, "insert_many")
                start += Self.rowsPerStatement
            }
            try connection.execute("COMMIT")
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    /// Every row through one `PQexecPrepared`: libpq buffers the whole result.
    func forEachBuffered(_ body: (Item) -> Void) throws {
        let result = PQexecPrepared(connection.handle, "scan", 0, nil, nil, nil, 0)
        defer { PQclear(result) }
        try connection.check(result, "scan")
        for row in 0..<PQntuples(result) { body(decodeItem(result!, row)) }
    }

    /// Every row in single-row mode: one `PGresult` per row, so memory stays bounded.
    func forEachSingleRow(_ body: (Item) -> Void) throws {
        let handle = connection.handle
        guard PQsendQueryPrepared(handle, "scan", 0, nil, nil, nil, 0) == 1, PQsetSingleRowMode(handle) == 1 else {
            throw BenchmarkFailure("single-row mode: \(connection.errorMessage)")
        }
        var failure: String?
        while let result = PQgetResult(handle) {
            switch PQresultStatus(result) {
            case PGRES_SINGLE_TUPLE: body(decodeItem(result, 0))
            case PGRES_TUPLES_OK: break
            default: failure = failure ?? connection.errorMessage
            }
            PQclear(result)
        }
        if let failure { throw BenchmarkFailure("scan: \(failure)") }
    }
}
