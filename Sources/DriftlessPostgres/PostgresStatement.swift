import CLibPQ
import Driftless
import Foundation

/// A statement of a ``PostgresConnection``: a named prepared statement (`PQprepare` once,
/// `PQexecPrepared` per execution), or, in unnamed mode for PgBouncer, its SQL run with
/// `PQexecParams` each time.
///
/// Parameters travel in text format with their types inferred by the server. The first
/// ``step()`` executes and positions on the first row; later steps walk the buffered result.
/// Values convert by column type: int2/int4/int8/oid → integer, float4/float8 → real, bool →
/// integer 1/0, bytea → blob, everything else (numeric, text, dates, uuid, json) → text,
/// which keeps numeric lossless.
///
/// Owned by one connection and used only by the thread that holds it.
public final class PostgresStatement: DriverStatement {
    let session: PostgresSession
    /// The SQL, for error messages.
    public let sql: String
    /// The server-side name, or nil for unnamed execution.
    let name: String?
    private var parameters: [UnsafePointer<CChar>?] = []
    private var result: OpaquePointer?
    private var rowCount: Int32 = 0
    private var row: Int32 = -1
    private var types: [Oid] = []
    public private(set) var columnCount = 0
    public private(set) var changedRowCount = 0
    /// The transaction in which this statement last ran under the probe savepoint.
    var probedTransaction = -1

    init(session: PostgresSession, sql: String, name: String?) {
        self.session = session
        self.sql = sql
        self.name = name
    }

    deinit {
        if let result { PQclear(result) }
        for parameter in parameters { free(UnsafeMutablePointer(mutating: parameter)) }
        if let name { session.pendingDeallocations.append(name) }
    }

    public func bind(_ value: DatabaseValue, at index: Int) throws {
        while parameters.count < index { parameters.append(nil) }
        free(UnsafeMutablePointer(mutating: parameters[index - 1]))
        parameters[index - 1] = Self.text(of: value)
    }

    /// The text form PostgreSQL's input functions accept, as a C string to free.
    private static func text(of value: DatabaseValue) -> UnsafePointer<CChar>? {
        let text: String
        switch value {
        case .null: return nil
        case .integer(let integer): text = String(integer)
        case .real(let real):
            if real.isNaN { text = "NaN" } else if real.isInfinite { text = real > 0 ? "Infinity" : "-Infinity" } else {
                text = "\(real)"
            }
        case .text(let string): text = string
        case .blob(let bytes): text = "\\x" + PostgresLiteral.hex(bytes)
        }
        return strdup(text).map { UnsafePointer($0) }
    }

    public func step() throws -> Bool {
        if result != nil {
            row += 1
            return row < rowCount
        }
        let executed: OpaquePointer
        if let transaction = session.currentTransaction(), transaction != probedTransaction {
            executed = try session.probe { try execute() }
            probedTransaction = transaction
        } else {
            executed = try execute()
        }
        result = executed
        rowCount = PQntuples(executed)
        row = 0
        columnCount = Int(PQnfields(executed))
        if types.count != columnCount {
            types = (0..<Int32(columnCount)).map { PQftype(executed, $0) }
        } else {
            for column in 0..<columnCount { types[column] = PQftype(executed, Int32(column)) }
        }
        changedRowCount = Int(Self.integer(PQcmdTuples(executed)))
        return row < rowCount
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

    public func reset() {
        if let result { PQclear(result) }
        result = nil
        row = -1
        rowCount = 0
    }

    public func columnName(at index: Int) -> String {
        guard let result, let name = PQfname(result, Int32(index)) else { return "" }
        return String(cString: name)
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
            return .text(String(decoding: UnsafeRawBufferPointer(start: bytes, count: length), as: UTF8.self))
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
