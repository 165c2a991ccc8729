import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One response, as the load tool needs it.
struct HTTPResponse {
    var status: Int
    var headers: [String: String]
    var body: [UInt8]
}

/// What became of one request on one process.
enum Outcome {
    case response(HTTPResponse)
    /// The process did not take the request: the connection was refused, or it was closed
    /// before a byte of response came back (a stopping server closes idle keep-alive
    /// connections without reading further requests). Safe to send elsewhere.
    case notAccepted(String)
    /// Anything else: a timeout, a connection cut mid-response.
    case failed(String)
}

/// A blocking HTTP/1.1 keep-alive connection to a loopback port (the load tool's own
/// client: no dependency, and it can tell "not accepted" from "failed").
final class HTTPConnection {
    let port: Int
    private var fd: Int32 = -1
    private var buffer: [UInt8] = []

    init(port: Int) { self.port = port }

    deinit { close() }

    func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
        buffer = []
    }

    private func connect() -> Outcome? {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return .failed("socket: \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if result != 0 {
            let code = errno
            Glibc.close(socket)
            return code == ECONNREFUSED ? .notAccepted("connection refused") : .failed("connect: \(code)")
        }
        var timeout = timeval(tv_sec: 15, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var one: Int32 = 1
        setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        fd = socket
        return nil
    }

    /// Sends one request and reads its response.
    func send(_ method: String, _ path: String, body: [UInt8]? = nil) -> Outcome {
        if fd < 0, let failure = connect() { return failure }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"
        if let body { head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
        head += "\r\n"
        let bytes = Array(head.utf8) + (body ?? [])
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 {
                close()
                return .notAccepted("closed before the request was sent")
            }
            sent += n
        }
        return readResponse()
    }

    private func fill() -> Int {
        var chunk = [UInt8](repeating: 0, count: 16384)
        let n = chunk.withUnsafeMutableBytes { Glibc.recv(fd, $0.baseAddress, $0.count, 0) }
        if n > 0 { buffer.append(contentsOf: chunk[0..<n]) }
        return n
    }

    private func readResponse() -> Outcome {
        var received = 0
        // The head.
        var headEnd: Int?
        while headEnd == nil {
            if let range = findHeadEnd() { headEnd = range; break }
            let n = fill()
            if n <= 0 {
                let reason = n == 0 ? "EOF" : "errno \(errno)"
                close()
                return received == 0 ? .notAccepted("closed without a response (\(reason))")
                                     : .failed("cut mid-response (\(reason))")
            }
            received += n
        }
        let headText = String(decoding: buffer[0..<headEnd!], as: UTF8.self)
        buffer.removeFirst(headEnd! + 4)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            close()
            return .failed("bad status line")
        }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body: [UInt8] = []
        if let length = headers["content-length"].flatMap(Int.init) {
            while buffer.count < length {
                if fill() <= 0 { close(); return .failed("cut mid-body") }
            }
            body = Array(buffer[0..<length])
            buffer.removeFirst(length)
        } else if headers["transfer-encoding"]?.lowercased() == "chunked" {
            while true {
                guard let line = readLine() else { close(); return .failed("cut mid-chunk") }
                guard let size = Int(line.split(separator: ";").first ?? "", radix: 16) else { close(); return .failed("bad chunk") }
                while buffer.count < size + 2 {
                    if fill() <= 0 { close(); return .failed("cut mid-chunk") }
                }
                body += buffer[0..<size]
                buffer.removeFirst(size + 2)
                if size == 0 { break }
            }
        }
        if headers["connection"]?.lowercased() == "close" { close() }
        return .response(HTTPResponse(status: status, headers: headers, body: body))
    }

    private func readLine() -> String? {
        while true {
            if let index = firstCRLF() {
                let line = String(decoding: buffer[0..<index], as: UTF8.self)
                buffer.removeFirst(index + 2)
                return line
            }
            if fill() <= 0 { return nil }
        }
    }

    private func firstCRLF() -> Int? {
        guard buffer.count >= 2 else { return nil }
        for i in 0..<(buffer.count - 1) where buffer[i] == 13 && buffer[i + 1] == 10 { return i }
        return nil
    }

    private func findHeadEnd() -> Int? {
        guard buffer.count >= 4 else { return nil }
        for i in 0...(buffer.count - 4)
        where buffer[i] == 13 && buffer[i + 1] == 10 && buffer[i + 2] == 13 && buffer[i + 3] == 10 {
            return i
        }
        return nil
    }
}
