/// Text matching with one rule on every backend.
///
/// **Case folding** (`caseInsensitive: true`, ``equalIgnoringCase(_:_:)``) folds the 26
/// ASCII letters only; every other character, `É` and `é` included, compares exactly, byte
/// for byte. That is what SQLite can do without ICU; PostgreSQL's locale-aware `lower` and
/// `ILIKE` are not used, so both backends answer alike.
///
/// **LIKE** is case-sensitive unless asked (SQLite connections set `case_sensitive_like`, as
/// PostgreSQL's LIKE is). `%` matches any run of characters, `_` one character; nothing
/// else is special unless an escape character is given (`\` is not one by default, on
/// PostgreSQL either). A pattern ending in its escape character is an error on both.
extension Condition {
    /// The column's text matches a `LIKE` pattern.
    ///
    /// - Parameters:
    ///   - escape: The character that makes the next `%`, `_` or itself literal; none by default.
    ///   - caseInsensitive: Whether ASCII letters match regardless of case.
    public static func like(_ keyPath: KeyPath<Root, some DatabaseValueConvertible>, _ pattern: String,
                            escape: Unicode.Scalar? = nil, caseInsensitive: Bool = false) -> Condition {
        let shape = ConditionShape.like(column(keyPath), escape: escape, caseInsensitive: caseInsensitive)
        if let problem = patternProblem(pattern, escape: escape) {
            return Condition(.constant(false), problem: DriftlessError.invalidQuery(.invalidPattern, record: "\(Root.self)", detail: problem))
        }
        return Condition(shape, [.text(pattern)])
    }

    /// The column's text equals `value`, ignoring the case of ASCII letters only.
    public static func equalIgnoringCase(_ keyPath: KeyPath<Root, some DatabaseValueConvertible>, _ value: String) -> Condition {
        Condition(.equalIgnoringCase(column(keyPath)), [.text(value)])
    }

    private static func patternProblem(_ pattern: String, escape: Unicode.Scalar?) -> String? {
        guard let escape else { return nil }
        if escape == "\0" { return "the escape character is NUL" }
        var escaped = false
        for scalar in pattern.unicodeScalars {
            escaped = !escaped && scalar == escape
        }
        return escaped ? "the LIKE pattern ends with its escape character" : nil
    }
}
