import Driftless

/// A connection URL, keyword string or parameter that cannot be used, with what is wrong.
///
/// The message never quotes the input: a connection string holds a password, and one that
/// does not parse may hold it anywhere (`postgres://user:se/cret@host/db` splits the password
/// at the `/`). ``component`` names the part at fault instead.
///
/// A struct with a ``code`` rather than an enum, so that a later release can add errors
/// without breaking a `switch` of yours; compare codes with `==`.
public struct PostgresConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Which error it is.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case malformedURL, unsupportedScheme, invalidPort, invalidPercentEncoding, unencodedCredentials
            case unknownParameter, malformedKeywords, nulCharacter, unsupportedValue
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The URL does not have the form `postgres://user:password@host:port/database?k=v`.
        public static let malformedURL = Code(.malformedURL)
        /// The scheme is not `postgres://` or `postgresql://`.
        public static let unsupportedScheme = Code(.unsupportedScheme)
        /// A port is not a number from 1 to 65535.
        public static let invalidPort = Code(.invalidPort)
        /// A `%` is not followed by two hex digits, or what it decodes to is not UTF-8.
        public static let invalidPercentEncoding = Code(.invalidPercentEncoding)
        /// An `@` after the host: a user name or password holding `/`, `?`, `#` or `@` that
        /// is not percent-encoded, which would otherwise be split into host, database and
        /// parameters (and sent to a server, or shown in messages).
        public static let unencodedCredentials = Code(.unencodedCredentials)
        /// A parameter libpq does not know.
        public static let unknownParameter = Code(.unknownParameter)
        /// The keyword string is not what libpq's `PQconninfoParse` reads.
        public static let malformedKeywords = Code(.malformedKeywords)
        /// A NUL character (or `%00`): libpq reads C strings, which end there, so the
        /// connection would go to another database, host or user.
        public static let nulCharacter = Code(.nulCharacter)
        /// A parameter value Driftless cannot work with (`client_encoding` other than UTF8).
        public static let unsupportedValue = Code(.unsupportedValue)

        public var description: String { base.rawValue }
    }

    /// Which error it is.
    public var code: Code
    /// The part at fault (`port`, `host`, `password`, `database name`, `query item 2`, a
    /// keyword), never its value.
    public var component: String?
    /// What is wrong, without quoting the input.
    public var detail: String

    public init(_ code: Code, component: String? = nil, detail: String) {
        self.code = code
        self.component = component
        self.detail = detail
    }

    public var description: String {
        "invalid PostgreSQL connection string" + (component.map { " (\($0))" } ?? "") + ": \(detail)"
    }

    /// The same error as a `.cannotOpen` ``DatabaseError``.
    public var databaseError: DatabaseError {
        DatabaseError(kind: .cannotOpen, message: description)
    }
}
