extension String {
    /// The string between two `quote` characters, with every `quote` inside doubled (the SQL
    /// rule for identifiers, `"`, and string literals, `'`), or, given an `escape`, with every
    /// `quote` and `escape` inside preceded by `escape` (PostgreSQL array elements).
    ///
    /// The one quoting routine every name and literal Driftless renders goes through. It
    /// works on UTF-8 bytes, never on `Character`s: a `"` followed by a combining mark
    /// (U+0301) or preceded by a prepend mark (U+0600) forms one grapheme cluster that is not
    /// equal to `"`, so a walk by `Character` would leave it undoubled and end the literal
    /// early. An ASCII byte never occurs inside the UTF-8 encoding of another scalar, so a
    /// byte walk finds every quote.
    ///
    /// A NUL is copied like any other character: SQL text cannot carry it (both databases
    /// read their C strings up to it), so callers reject names and literals holding one
    /// before rendering them (``SQLDialect/identifierProblem(_:)``,
    /// ``SQLDialect/literalProblem(_:_:)``).
    public func quoted(with quote: Unicode.Scalar, escape: Unicode.Scalar? = nil) -> String {
        precondition(quote.isASCII && escape?.isASCII != false, "quotes and escapes are ASCII")
        let quoteByte = UInt8(quote.value)
        let escapeByte = escape.map { UInt8($0.value) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count + 2)
        bytes.append(quoteByte)
        for byte in utf8 {
            if byte == quoteByte || byte == escapeByte { bytes.append(escapeByte ?? quoteByte) }
            bytes.append(byte)
        }
        bytes.append(quoteByte)
        return String(decoding: bytes, as: UTF8.self)
    }
}
