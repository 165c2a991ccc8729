/// Parses `postgres://` URLs into libpq parameters.
///
/// `postgres://user:password@host:port,host2:port2/database?keyword=value&...`: the parts are
/// cut apart first (``URLParts``), then each is decoded on its own. Errors name the part at
/// fault and never quote the URL, which holds a password.
enum PostgresURLParser {
    typealias Parameters = [(keyword: String, value: String)]

    static func parameters(of url: String) throws(PostgresConfigurationError) -> Parameters {
        let parts = try URLParts(url)
        return try credentials(parts.userInfo) + hosts(parts.hosts) + database(parts.path) + queryItems(parts.query)
    }

    /// The URL's bytes. Delimiters are found byte for byte: a `/` or `@` followed by a
    /// combining mark is one `Character` that is neither, and a walk by `Character` would
    /// not split there (putting a password into the host, which messages show).
    typealias Bytes = ArraySlice<UInt8>

    /// The URL cut at its delimiters: `scheme://[userInfo@]hosts[/path][?query]`.
    struct URLParts {
        var userInfo: Bytes?
        var hosts: Bytes
        var path: Bytes?
        var query: Bytes?

        init(_ url: String) throws(PostgresConfigurationError) {
            var rest = Array(url.utf8)[...]
            if rest.contains(0) {
                throw PostgresConfigurationError(.nulCharacter, detail: "the URL contains a NUL character")
            }
            guard let schemeEnd = rest.firstRange(of: Array("://".utf8)) else {
                throw PostgresConfigurationError(
                    .malformedURL, detail: "expected a URL of the form postgres://user:password@host:port/database")
            }
            let scheme = String(decoding: rest[..<schemeEnd.lowerBound], as: UTF8.self).lowercased()
            guard scheme == "postgres" || scheme == "postgresql" else {
                throw PostgresConfigurationError(
                    .unsupportedScheme, component: "scheme", detail: "expected postgres:// or postgresql://")
            }
            rest = rest[schemeEnd.upperBound...]
            if rest.contains(UInt8(ascii: "#")) {
                throw PostgresConfigurationError(
                    .malformedURL, detail: "a fragment (#) is not allowed; percent-encode # in a password as %23")
            }
            if let mark = rest.firstIndex(of: UInt8(ascii: "?")) {
                query = rest[(mark + 1)...]
                rest = rest[..<mark]
            }
            if let slash = rest.firstIndex(of: UInt8(ascii: "/")) {
                path = rest[(slash + 1)...]
                rest = rest[..<slash]
            }
            if let at = rest.lastIndex(of: UInt8(ascii: "@")) {
                userInfo = rest[..<at]
                rest = rest[(at + 1)...]
            } else if path?.contains(UInt8(ascii: "@")) == true || query?.contains(UInt8(ascii: "@")) == true {
                // `user:se/cret@host`: the password's "/" ended the host part early.
                throw PostgresConfigurationError(
                    .unencodedCredentials,
                    detail: "an unencoded @ after the host; percent-encode @ as %40, and / ? # in a user name or password as %2F %3F %23")
            }
            hosts = rest
        }
    }

    /// `user[:password]`.
    private static func credentials(_ userInfo: Bytes?) throws(PostgresConfigurationError) -> Parameters {
        guard let userInfo else { return [] }
        var result: Parameters = []
        let colon = userInfo.firstIndex(of: UInt8(ascii: ":"))
        let user = userInfo[..<(colon ?? userInfo.endIndex)]
        if !user.isEmpty { result.append(("user", try decode(user, component: "user name"))) }
        if let colon {
            result.append(("password", try decode(userInfo[(colon + 1)...], component: "password")))
        }
        return result
    }

    /// `host[:port][,host[:port]...]`, a host in brackets being an IPv6 address; libpq takes
    /// the lists comma-separated, in step.
    private static func hosts(_ list: Bytes) throws(PostgresConfigurationError) -> Parameters {
        guard !list.isEmpty else { return [] }
        var hosts: [String] = []
        var ports: [String] = []
        for (position, item) in list.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).enumerated() {
            let component = "host \(position + 1)"
            let (host, port) = try hostAndPort(item, component: component)
            if let port {
                guard !port.isEmpty, port.count <= 5, port.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
                      let number = Int(String(decoding: port, as: UTF8.self)), (1...65535).contains(number)
                else {
                    throw PostgresConfigurationError(
                        .invalidPort, component: "port of \(component)", detail: "expected a number from 1 to 65535")
                }
            }
            hosts.append(try decode(host, component: component))
            ports.append(port.map { String(decoding: $0, as: UTF8.self) } ?? "")
        }
        var result: Parameters = []
        if hosts.contains(where: { !$0.isEmpty }) { result.append(("host", hosts.joined(separator: ","))) }
        if ports.contains(where: { !$0.isEmpty }) { result.append(("port", ports.joined(separator: ","))) }
        return result
    }

    private static func hostAndPort(_ item: Bytes, component: String) throws(PostgresConfigurationError)
        -> (host: Bytes, port: Bytes?)
    {
        guard item.first == UInt8(ascii: "[") else {
            guard let colon = item.lastIndex(of: UInt8(ascii: ":")) else { return (item, nil) }
            return (item[..<colon], item[(colon + 1)...])
        }
        guard let close = item.firstIndex(of: UInt8(ascii: "]")) else {
            throw PostgresConfigurationError(.malformedURL, component: component, detail: "an IPv6 address misses its ]")
        }
        let host = item[(item.startIndex + 1)..<close]
        let after = item[(close + 1)...]
        if after.isEmpty { return (host, nil) }
        guard after.first == UInt8(ascii: ":") else {
            throw PostgresConfigurationError(.malformedURL, component: component, detail: "only :port may follow an IPv6 address")
        }
        return (host, after.dropFirst())
    }

    /// `/database` (a slash inside must be percent-encoded).
    private static func database(_ path: Bytes?) throws(PostgresConfigurationError) -> Parameters {
        guard let path, !path.isEmpty else { return [] }
        if path.contains(UInt8(ascii: "/")) {
            throw PostgresConfigurationError(
                .malformedURL, component: "database name", detail: "it contains a slash (percent-encode it as %2F)")
        }
        return [("dbname", try decode(path, component: "database name"))]
    }

    /// `?keyword=value&...`: libpq parameters, `ssl=true` being libpq's spelling of
    /// `sslmode=require`.
    private static func queryItems(_ query: Bytes?) throws(PostgresConfigurationError) -> Parameters {
        guard let query, !query.isEmpty else { return [] }
        var result: Parameters = []
        for (position, item) in query.split(separator: UInt8(ascii: "&")).enumerated() {
            let component = "query item \(position + 1)"
            guard let equals = item.firstIndex(of: UInt8(ascii: "=")) else {
                throw PostgresConfigurationError(.malformedURL, component: component, detail: "expected keyword=value")
            }
            let keyword = try decode(item[..<equals], component: component)
            let value = try decode(item[(equals + 1)...], component: component)
            if keyword == "ssl" && value == "true" {
                result.append(("sslmode", "require"))
                continue
            }
            guard PostgresKeywordParser.isKnownKeyword(keyword) else {
                throw PostgresKeywordParser.unknownKeyword(component: component, nearest: keyword)
            }
            result.append((keyword, value))
        }
        return result
    }

    /// Percent-decodes a URL component (UTF-8); `%00` is an error, since libpq would read the
    /// value only up to it.
    static func decode(_ text: Bytes, component: String) throws(PostgresConfigurationError) -> String {
        guard text.contains(UInt8(ascii: "%")) else { return String(decoding: text, as: UTF8.self) }
        var bytes: [UInt8] = []
        var iterator = text
        while let byte = iterator.popFirst() {
            guard byte == UInt8(ascii: "%") else { bytes.append(byte); continue }
            guard iterator.count >= 2,
                  let high = hexValue(iterator.removeFirst()), let low = hexValue(iterator.removeFirst())
            else {
                throw PostgresConfigurationError(
                    .invalidPercentEncoding, component: component, detail: "a % is not followed by two hex digits")
            }
            bytes.append(high << 4 | low)
        }
        if bytes.contains(0) {
            throw PostgresConfigurationError(.nulCharacter, component: component, detail: "it decodes to a NUL character (%00)")
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else {
            throw PostgresConfigurationError(
                .invalidPercentEncoding, component: component, detail: "it is not valid UTF-8 once percent-decoded")
        }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
