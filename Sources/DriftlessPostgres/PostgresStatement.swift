import CLibPQ
import Driftless
import Foundation

/// A statement of a ``PostgresConnection``: a named prepared statement (`PQprepare` once,
/// `PQexecPrepared` per execution), or, in unnamed mode for PgBouncer, its SQL run with
/// `PQexecParams` each time.
///
/// Parameters travel in text format with their types inferred by the server. Values convert
/// by column type: int2/int4/int8/oid → integer, float4/float8 → real, bool → integer 1/0,
/// bytea → blob, everything else (numeric, text, dates, uuid, json) → text, which keeps
/// numeric lossless.
///
/// ## Buffered results and streamed ones
///
/// By default the first ``step()`` executes and libpq buffers the whole result; later steps
/// walk it. That is what `find` and `fetchAll` want: they keep every row anyway. After
/// ``streamNextExecution()`` (a cursor, `forEach`) rows are delivered as they arrive:
///
/// - **Outside a transaction**, in libpq's single-row mode (`PQsendQueryPrepared` +
///   `PQsetSingleRowMode`, one small `PGresult` per row). The connection is busy until the
///   last row; abandoning the cursor early reads up to ``abandonDrainLimit`` more rows and,
///   if the result goes on, cancels the query (`PQcancel`) and discards what is left.
/// - **Inside a transaction**, through a server-side cursor (`DECLARE ... NO SCROLL CURSOR`,
///   `FETCH` ``cursorBatchSize`` rows at a time, `CLOSE`). Between batches the connection is
///   free, so the cursor's body may run other statements of the same transaction (as it may
///   on SQLite), and abandoning it is a `CLOSE`. The `DECLARE` runs under the probe
///   savepoint like any first execution in a transaction, so drift cannot abort it.
///
/// Single-row mode is as fast as a buffered result and holds one row instead of all of them
/// (the server produces rows while the client consumes them); on small results the two are
/// alike, so only cursors stream (BENCHMARKS.md, "Design measurements").
///
/// Owned by one connection and used only by the thread that holds it.
public final class PostgresStatement: DriverStatement {
    let session: PostgresSession
    /// The SQL, for error messages.
    public let sql: String
    /// The server-side name, or nil for unnamed execution.
    let name: String?
    /// The parameters as C strings (nil for NULL), each pointing into its buffer.
    private var parameters: [UnsafePointer<CChar>?] = []
    /// One reusable buffer per parameter, so that binding allocates only when a value is
    /// longer than the one before it.
    private var buffers: [UnsafeMutableBufferPointer<CChar>] = []
    private var result: OpaquePointer?
    private var rowCount: Int32 = 0
    private var row: Int32 = -1
    private var types: [Oid] = []
    public private(set) var columnCount = 0
    public private(set) var changedRowCount = 0
    /// The transaction in which this statement last ran under the probe savepoint.
    var probedTransaction = -1
    /// Where the current execution stands.
    private var state = ExecutionState.idle
    /// Whether the next execution streams (see ``streamNextExecution()``).
    private var streamsNextExecution = false
    private var describedParameterCount: Int?

    /// Rows fetched per `FETCH` from a server-side cursor.
    static let cursorBatchSize = 1_000
    /// Rows read and dropped when a single-row-mode cursor is abandoned, before cancelling
    /// the query instead (a cancel costs a connection to the server).
    static let abandonDrainLimit = 1_000

    private enum ExecutionState {
        /// Not executed since the last reset.
        case idle
        /// The whole result is in `result`.
        case buffered
        /// Rows arrive one `PGresult` at a time; the connection is busy until the end.
        case singleRow
        /// A server-side cursor; `exhausted` once a FETCH returned fewer rows than asked.
        case cursor(name: String, exhausted: Bool)
        /// A streamed execution ended (its last row read, or failed).
        case finished
    }

    init(session: PostgresSession, sql: String, name: String?) {
        self.session = session
        self.sql = sql
        self.name = name
    }

    deinit {
        if let result { PQclear(result) }
        for buffer in buffers { buffer.deallocate() }
        if let name { session.pendingDeallocations.append(name) }
    }

    public func bind(_ value: DatabaseValue, at index: Int) throws {
        // libpq sends a parameter up to its first NUL: "a\0b" would be stored as "a".
        if case .text(let text) = value, text.utf8.contains(0) {
            throw DriftlessError.unrepresentableValue(value: value, problem: "PostgreSQL text cannot hold a NUL character")
        }
        while parameters.count < index {
            parameters.append(nil)
            buffers.append(UnsafeMutableBufferPointer(start: nil, count: 0))
        }
        let slot = index - 1
        switch value {
        case .null:
            parameters[slot] = nil
        case .integer(let integer):
            parameters[slot] = write(integer, into: slot)
        case .real(let real):
            parameters[slot] = write(Self.text(of: real).utf8, into: slot)
        case .text(let text):
            parameters[slot] = write(text.utf8, into: slot)
        case .blob(let bytes):
            parameters[slot] = write(("\\x" + PostgresDialect.hex(bytes)).utf8, into: slot)
        }
    }

    /// The parameter buffer at `slot`, at least `count` bytes long.
    private func buffer(_ slot: Int, count: Int) -> UnsafeMutableBufferPointer<CChar> {
        if buffers[slot].count < count {
            buffers[slot].deallocate()
            buffers[slot] = .allocate(capacity: max(count, 32))
        }
        return buffers[slot]
    }

    /// Copies bytes into the parameter's buffer as a C string.
    private func write(_ bytes: some Collection<UInt8>, into slot: Int) -> UnsafePointer<CChar> {
        let buffer = buffer(slot, count: bytes.count + 1)
        let raw = UnsafeMutableRawBufferPointer(buffer)
        raw.copyBytes(from: bytes)
        raw[bytes.count] = 0
        return UnsafePointer(buffer.baseAddress!)
    }

    /// Writes an integer's decimal digits into the parameter's buffer, without a `String`.
    private func write(_ integer: Int64, into slot: Int) -> UnsafePointer<CChar> {
        let buffer = buffer(slot, count: 21)
        // Digits from the right, of the magnitude taken negatively so that Int64.min fits.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let count = withUnsafeMutableBytes(of: &digits) { scratch -> Int in
            var value = integer > 0 ? -integer : integer
            var position = scratch.count
            repeat {
                position -= 1
                scratch[position] = UInt8(ascii: "0") + UInt8(-(value % 10))
                value /= 10
            } while value != 0
            if integer < 0 {
                position -= 1
                scratch[position] = UInt8(ascii: "-")
            }
            let count = scratch.count - position
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: scratch[position...]))
            return count
        }
        buffer[count] = 0
        return UnsafePointer(buffer.baseAddress!)
    }

    /// The text of a real that PostgreSQL's float input reads back exactly.
    static func text(of real: Double) -> String {
        if real.isNaN { return "NaN" }
        if real.isInfinite { return real > 0 ? "Infinity" : "-Infinity" }
        return "\(real)"
    }

    public func streamNextExecution() {
        streamsNextExecution = true
    }

    /// For a named statement, the server's count of its placeholders, asked once
    /// (`PQdescribePrepared`, a round trip) by raw SQL, which checks its arguments against
    /// it before sending them. Unnamed statements do not know it: the server rejects a
    /// mismatch when they run.
    public var parameterCount: Int? {
        if let describedParameterCount { return describedParameterCount }
        guard let name else { return nil }
        let described = PQdescribePrepared(session.handle, name)
        defer { PQclear(described) }
        guard PQresultStatus(described) == PGRES_COMMAND_OK else { return nil }
        describedParameterCount = Int(PQnparams(described))
        return describedParameterCount
    }

    public func step() throws -> Bool {
        switch state {
        case .idle:
            break
        case .buffered:
            row += 1
            return row < rowCount
        case .singleRow:
            return try nextSingleRow()
        case .cursor(let name, let exhausted):
            row += 1
            if row < rowCount { return true }
            return exhausted ? false : try fetchBatch(from: name)
        case .finished:
            return false
        }
        let transaction = session.currentTransaction()
        if streamsNextExecution {
            streamsNextExecution = false
            if let transaction { return try openCursor(in: transaction) }
            return try startSingleRow()
        }
        let executed: OpaquePointer
        if let transaction, transaction != probedTransaction {
            executed = try session.probe { try execute() }
            probedTransaction = transaction
        } else {
            executed = try execute()
        }
        state = .buffered
        take(executed)
        changedRowCount = Int(Self.integer(PQcmdTuples(executed)))
        return row < rowCount
    }

    /// Makes `executed` the current result, positioned on its first row.
    private func take(_ executed: OpaquePointer) {
        result = executed
        rowCount = PQntuples(executed)
        row = 0
        columnCount = Int(PQnfields(executed))
        // A prepared statement's columns and their types are fixed (the server refuses to
        // run it after they change), so they are read once.
        if types.count != columnCount || name == nil {
            types = (0..<Int32(columnCount)).map { PQftype(executed, $0) }
        }
    }

    private func execute() throws -> OpaquePointer {
        let executed = parameters.withUnsafeBufferPointer { buffer in
            if let name {
                PQexecPrepared(session.handle, name, Int32(buffer.count), buffer.baseAddress, nil, nil, 0)
            } else {
                PQexecParams(session.handle, sql, Int32(buffer.count), nil, buffer.baseAddress, nil, nil, 0)
            }
        }
        switch PQresultStatus(executed) {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return executed!
        default:
            let error = PostgresErrorClassifier.error(result: executed, connection: session.handle, sql: sql)
            PQclear(executed)
            throw error
        }
    }

    // MARK: Single-row mode (cursors outside transactions)

    private func startSingleRow() throws -> Bool {
        let handle = session.handle
        let sent = parameters.withUnsafeBufferPointer { buffer in
            if let name {
                PQsendQueryPrepared(handle, name, Int32(buffer.count), buffer.baseAddress, nil, nil, 0)
            } else {
                PQsendQueryParams(handle, sql, Int32(buffer.count), nil, buffer.baseAddress, nil, nil, 0)
            }
        }
        guard sent == 1 else { throw PostgresErrorClassifier.error(result: nil, connection: handle, sql: sql) }
        // If single-row mode cannot be set, the result simply arrives whole.
        _ = PQsetSingleRowMode(handle)
        state = .singleRow
        types.removeAll(keepingCapacity: true)
        return try nextSingleRow()
    }

    private func nextSingleRow() throws -> Bool {
        if let result { PQclear(result) }
        result = nil
        guard let next = PQgetResult(session.handle) else {
            state = .finished
            return false
        }
        switch PQresultStatus(next) {
        case PGRES_SINGLE_TUPLE:
            if types.isEmpty {
                take(next)
            } else {
                result = next
                rowCount = 1
                row = 0
            }
            return true
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            // The end: a result with no rows (or, if single-row mode was refused, all of them).
            state = .finished
            changedRowCount = Int(Self.integer(PQcmdTuples(next)))
            take(next)
            drainResults()
            if rowCount > 0 {
                state = .buffered
                return true
            }
            return false
        default:
            let error = PostgresErrorClassifier.error(result: next, connection: session.handle, sql: sql)
            PQclear(next)
            drainResults()
            state = .finished
            throw error
        }
    }

    /// Reads and drops results until libpq says the command is complete (true), or until
    /// `limit` results were dropped (false).
    @discardableResult
    private func drainResults(limit: Int = .max) -> Bool {
        var read = 0
        while read < limit {
            guard let next = PQgetResult(session.handle) else { return true }
            PQclear(next)
            read += 1
        }
        return false
    }

    /// Leaves the connection idle after a single-row-mode cursor was abandoned.
    private func abandonSingleRow() {
        if drainResults(limit: Self.abandonDrainLimit) { return }
        if let cancel = PQgetCancel(session.handle) {
            var message = [CChar](repeating: 0, count: 256)
            _ = PQcancel(cancel, &message, Int32(message.count))
            PQfreeCancel(cancel)
        }
        // The rest of the rows, or the cancellation's 57014 error, then the end.
        _ = drainResults()
    }

    // MARK: Server-side cursors (cursors inside transactions)

    private func openCursor(in transaction: Int) throws -> Bool {
        let name = session.nextCursorName()
        let declare = "DECLARE \(name) NO SCROLL CURSOR FOR " + sql
        let handle = session.handle
        let run = {
            let declared = self.parameters.withUnsafeBufferPointer { buffer in
                PQexecParams(handle, declare, Int32(buffer.count), nil, buffer.baseAddress, nil, nil, 0)
            }
            defer { PQclear(declared) }
            guard PQresultStatus(declared) == PGRES_COMMAND_OK else {
                throw PostgresErrorClassifier.error(result: declared, connection: handle, sql: self.sql)
            }
        }
        if transaction != probedTransaction {
            try session.probe(run)
            probedTransaction = transaction
        } else {
            try run()
        }
        state = .cursor(name: name, exhausted: false)
        return try fetchBatch(from: name)
    }

    private func fetchBatch(from name: String) throws -> Bool {
        if let result { PQclear(result) }
        result = nil
        rowCount = 0
        let sql = "FETCH \(Self.cursorBatchSize) FROM \(name)"
        let fetched = PQexec(session.handle, sql)
        guard PQresultStatus(fetched) == PGRES_TUPLES_OK, let fetched else {
            let error = PostgresErrorClassifier.error(result: fetched, connection: session.handle, sql: self.sql)
            PQclear(fetched)
            state = .cursor(name: name, exhausted: true)
            throw error
        }
        take(fetched)
        state = .cursor(name: name, exhausted: rowCount < Self.cursorBatchSize)
        return rowCount > 0
    }

    public func reset() {
        switch state {
        case .singleRow:
            abandonSingleRow()
        case .cursor(let name, _):
            // An aborted transaction refuses everything but ROLLBACK; its end closes the cursor.
            if !session.isInFailedTransaction, PQstatus(session.handle) == CONNECTION_OK {
                try? session.command("CLOSE \(name)")
            }
        case .idle, .buffered, .finished:
            break
        }
        if let result { PQclear(result) }
        result = nil
        row = -1
        rowCount = 0
        state = .idle
        streamsNextExecution = false
    }

    public func columnName(at index: Int) -> String {
        guard let result, let name = PQfname(result, Int32(index)) else { return "" }
        return String(cString: name)
    }

    /// The current result's cell, when there is one and it is not NULL.
    @inline(__always)
    private func cell(_ index: Int) -> (bytes: UnsafePointer<CChar>, type: Oid)? {
        guard let result, row >= 0, row < rowCount, index < columnCount else { return nil }
        let column = Int32(index)
        guard PQgetisnull(result, row, column) == 0, let bytes = PQgetvalue(result, row, column) else { return nil }
        return (UnsafePointer(bytes), types[index])
    }

    public func isNull(at index: Int) -> Bool { cell(index) == nil }

    public func int64(at index: Int) -> Int64? {
        guard let (bytes, type) = cell(index) else { return nil }
        switch type {
        case 20, 21, 23, 26: return Self.integer(bytes)
        default: return nil
        }
    }

    public func double(at index: Int) -> Double? {
        guard let (bytes, type) = cell(index), type == 700 || type == 701 else { return nil }
        return Double(String(cString: bytes))
    }

    public func text(at index: Int) -> String? {
        guard let (bytes, type) = cell(index) else { return nil }
        switch type {
        case 20, 21, 23, 26, 700, 701, 16, 17: return nil
        default:
            let length = Int(PQgetlength(result, row, Int32(index)))
            return DatabaseValue.string(
                validating: UnsafeRawBufferPointer(start: bytes, count: length).assumingMemoryBound(to: UInt8.self))
        }
    }

    public func value(at index: Int) -> DatabaseValue {
        guard let result, row >= 0, row < rowCount, index < columnCount else { return .null }
        let column = Int32(index)
        if PQgetisnull(result, row, column) != 0 { return .null }
        guard let bytes = PQgetvalue(result, row, column) else { return .null }
        let length = Int(PQgetlength(result, row, column))
        switch types[index] {
        case 20, 21, 23, 26:  // int8, int2, int4, oid
            return .integer(Self.integer(bytes))
        case 700, 701:  // float4, float8
            let text = String(cString: bytes)
            return Double(text).map(DatabaseValue.real) ?? .text(text)
        case 16:  // bool
            return .integer(bytes.pointee == CChar(UInt8(ascii: "t")) ? 1 : 0)
        case 17:  // bytea, hex output
            return .blob(Self.bytea(bytes, length: length))
        default:
            return DatabaseValue(text: UnsafeRawBufferPointer(start: bytes, count: length).assumingMemoryBound(to: UInt8.self))
        }
    }

    /// A decimal integer from a C string (0 when empty or absent).
    private static func integer(_ text: UnsafePointer<CChar>?) -> Int64 {
        guard var pointer = text else { return 0 }
        let negative = pointer.pointee == CChar(UInt8(ascii: "-"))
        if negative { pointer += 1 }
        // Accumulated negatively so that Int64.min parses.
        var value: Int64 = 0
        while case let digit = Int64(pointer.pointee) - 48, digit >= 0, digit <= 9 {
            value = value &* 10 &- digit
            pointer += 1
        }
        return negative ? value : 0 &- value
    }

    /// Decodes bytea output: `\x` hex (the default), or the legacy escape format.
    private static func bytea(_ text: UnsafePointer<CChar>, length: Int) -> [UInt8] {
        let raw = UnsafeRawBufferPointer(start: text, count: length)
        if length >= 2, raw[0] == UInt8(ascii: "\\"), raw[1] == UInt8(ascii: "x") {
            var bytes: [UInt8] = []
            bytes.reserveCapacity((length - 2) / 2)
            var index = 2
            while index + 1 < length {
                bytes.append(nibble(raw[index]) << 4 | nibble(raw[index + 1]))
                index += 2
            }
            return bytes
        }
        var escapedLength = 0
        guard let unescaped = PQunescapeBytea(UnsafeRawPointer(text).assumingMemoryBound(to: UInt8.self), &escapedLength)
        else { return Array(raw) }
        defer { PQfreemem(unescaped) }
        return Array(UnsafeBufferPointer(start: unescaped, count: escapedLength))
    }

    private static func nibble(_ digit: UInt8) -> UInt8 {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: 0
        }
    }
}
