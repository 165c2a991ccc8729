import CLibPQ
import Driftless

/// `COPY ... FROM STDIN` in text format: how `insert(contentsOf:)` sends many rows in one
/// statement and one stream, when nothing needs to come back.
///
/// Each value is written as the text PostgreSQL's input function for the column reads,
/// the same text a bound parameter carries (``PostgresStatement``), escaped for the COPY
/// text format: `\N` for NULL, and backslash, tab, newline and carriage return as `\\`,
/// `\t`, `\n`, `\r`. Text holding NUL is refused, as on every other path. Rows are sent in
/// chunks; a value refused mid-stream ends the COPY with an error, so nothing is inserted.
struct PostgresCopy {
    let session: PostgresSession
    let sql: String
    let columns: [String]

    /// Bytes buffered before they are handed to libpq.
    static let chunkSize = 1 << 16

    init(session: PostgresSession, table: TableName, columns: [String]) {
        self.session = session
        self.columns = columns
        let dialect = PostgresDialect.postgres
        sql = "COPY \(dialect.quote(table)) (\(columns.map { dialect.quote($0) }.joined(separator: ", "))) FROM STDIN"
    }

    /// Sends `rows` rows, each filled in by `values`.
    func run(rows: Int, values: (Int, inout [DatabaseValue]) throws -> Void) throws {
        let handle = session.handle
        let started = PQexec(handle, sql)
        guard PQresultStatus(started) == PGRES_COPY_IN else {
            let error = PostgresErrorClassifier.error(result: started, connection: handle, sql: sql)
            PQclear(started)
            throw error
        }
        PQclear(started)
        var failure: (any Error)?
        do {
            var buffer: [UInt8] = []
            buffer.reserveCapacity(Self.chunkSize + 4_096)
            var row: [DatabaseValue] = []
            for index in 0..<rows {
                try values(index, &row)
                for (column, value) in row.enumerated() {
                    if column > 0 { buffer.append(UInt8(ascii: "\t")) }
                    try Self.append(value, to: &buffer, column: columns[column])
                }
                buffer.append(UInt8(ascii: "\n"))
                if buffer.count >= Self.chunkSize {
                    try send(buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            try send(buffer)
        } catch {
            failure = error
        }
        let ended = PQputCopyEnd(handle, failure == nil ? nil : "a value could not be sent")
        var serverError: (any Error)?
        if ended != 1 { serverError = PostgresErrorClassifier.error(result: nil, connection: handle, sql: sql) }
        while let result = PQgetResult(handle) {
            if serverError == nil, PQresultStatus(result) != PGRES_COMMAND_OK {
                serverError = PostgresErrorClassifier.error(result: result, connection: handle, sql: sql)
            }
            PQclear(result)
        }
        if let failure { throw failure }
        if let serverError { throw serverError }
    }

    private func send(_ buffer: [UInt8]) throws {
        guard !buffer.isEmpty else { return }
        let sent = buffer.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { PQputCopyData(session.handle, $0.baseAddress, Int32($0.count)) }
        }
        if sent != 1 { throw PostgresErrorClassifier.error(result: nil, connection: session.handle, sql: sql) }
    }

    /// Appends a value in COPY text format.
    static func append(_ value: DatabaseValue, to buffer: inout [UInt8], column: String) throws {
        switch value {
        case .null:
            buffer.append(UInt8(ascii: "\\"))
            buffer.append(UInt8(ascii: "N"))
        case .integer(let integer):
            buffer.append(contentsOf: String(integer).utf8)
        case .real(let real):
            buffer.append(contentsOf: PostgresStatement.text(of: real).utf8)
        case .text(let text):
            for byte in text.utf8 {
                switch byte {
                case 0:
                    throw DriftlessError.unrepresentableValue(
                        column: column, value: value, problem: "PostgreSQL text cannot hold a NUL character")
                case UInt8(ascii: "\\"): buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "\n"): buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "n"))
                case UInt8(ascii: "\r"): buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "r"))
                case UInt8(ascii: "\t"): buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "t"))
                default: buffer.append(byte)
                }
            }
        case .blob(let bytes):
            // bytea's hex input, `\x...`, with its backslash escaped.
            buffer.append(contentsOf: "\\\\x".utf8)
            let digits: StaticString = "0123456789abcdef"
            digits.withUTF8Buffer { digits in
                for byte in bytes {
                    buffer.append(digits[Int(byte >> 4)])
                    buffer.append(digits[Int(byte & 0x0F)])
                }
            }
        }
    }
}
