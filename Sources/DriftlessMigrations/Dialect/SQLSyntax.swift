/// How one database reads SQL text: where comments, literals and quoted names begin and end,
/// what a bound parameter looks like, and how unquoted names resolve.
///
/// Everything in the migrations that reads SQL (the lint, the SQLite table rebuild, offline
/// rendering, scripts sent one statement at a time) goes through one lexer configured with
/// this, so that text a database reads as a comment or a literal is never taken for a
/// statement, and text it runs is never hidden in what the lexer thought was a comment.
public struct SQLSyntax: Sendable, Hashable {
    /// Whether `/* /* */ */` nests (PostgreSQL) or a block comment ends at the first `*/`
    /// (SQLite).
    public var blockCommentsNest: Bool
    /// Whether a `--` comment also ends at a carriage return (PostgreSQL) rather than at a
    /// line feed only (SQLite).
    public var lineCommentsEndAtCarriageReturn: Bool
    /// Whether `[name]` and `` `name` `` quote identifiers (SQLite).
    public var bracketAndBacktickIdentifiers: Bool
    /// Whether `:name`, `@name` and `$name` are bound parameters (SQLite).
    public var namedParameters: Bool
    /// Whether `$tag$...$tag$` is a string, `$1` a parameter and `$` part of a word
    /// (PostgreSQL).
    public var dollarQuoting: Bool
    /// Whether `E'...'` is a string with backslash escapes (PostgreSQL).
    public var escapeStrings: Bool
    /// Whether an unquoted name means its lower-cased self (PostgreSQL); otherwise names are
    /// kept as written and compared as the dialect compares identifiers.
    public var foldsUnquotedNamesToLowercase: Bool

    public init(
        blockCommentsNest: Bool, lineCommentsEndAtCarriageReturn: Bool, bracketAndBacktickIdentifiers: Bool,
        namedParameters: Bool, dollarQuoting: Bool, escapeStrings: Bool, foldsUnquotedNamesToLowercase: Bool
    ) {
        self.blockCommentsNest = blockCommentsNest
        self.lineCommentsEndAtCarriageReturn = lineCommentsEndAtCarriageReturn
        self.bracketAndBacktickIdentifiers = bracketAndBacktickIdentifiers
        self.namedParameters = namedParameters
        self.dollarQuoting = dollarQuoting
        self.escapeStrings = escapeStrings
        self.foldsUnquotedNamesToLowercase = foldsUnquotedNamesToLowercase
    }
}
