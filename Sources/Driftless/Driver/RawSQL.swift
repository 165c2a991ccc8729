/// The checks every raw-SQL entry point makes (``Repository/fetchAll(sql:arguments:)``, a
/// database's `execute(_:arguments:)`, migrations' bound statements), so that a backend runs
/// exactly the SQL the caller wrote, with exactly the values given, or throws
/// ``DriftlessError/Code/invalidQuery``:
///
/// - a NUL in the text (``DriftlessError/QueryProblem/nulCharacter``): C APIs would read the
///   SQL only up to it;
/// - more than one statement (``DriftlessError/QueryProblem/multipleStatements``): reported
///   by the backend, which sees where the first statement ends (SQLite would run the first
///   and ignore the rest);
/// - arguments and placeholders that differ in number
///   (``DriftlessError/QueryProblem/argumentCount``): a missing value would bind NULL, or the
///   previous execution's value.
package enum RawSQL {
    /// Throws when the SQL holds a NUL.
    package static func check(_ sql: String) throws(DriftlessError) {
        if sql.utf8.contains(0) {
            throw DriftlessError.invalidQuery(
                .nulCharacter, detail: "the SQL holds a NUL character, where the database would stop reading it")
        }
    }

    /// The error for more than one statement where one is run.
    package static var multipleStatements: DriftlessError {
        DriftlessError.invalidQuery(
            .multipleStatements,
            detail: "the SQL holds more than one statement, and only one runs here (run scripts with execute(_:))")
    }

    /// The error for arguments that do not match the placeholders (their numbers when known).
    package static func argumentCount(placeholders: Int? = nil, arguments: Int? = nil) -> DriftlessError {
        let detail = if let placeholders, let arguments {
            "the SQL has \(placeholders) placeholder(s) and \(arguments) argument(s) were given"
        } else {
            "the number of arguments given differs from the number of placeholders in the SQL"
        }
        return DriftlessError.invalidQuery(.argumentCount, detail: detail)
    }

    /// Binds `arguments` to placeholders `$1`...`$n` (SQLite's `?` too, by position), after checking their number where the
    /// statement knows it (``DriverStatement/parameterCount``; a server backend that does
    /// not know it reports a mismatch itself).
    package static func bind(_ arguments: [DatabaseValue], to statement: some DriverStatement) throws {
        if let count = statement.parameterCount, count != arguments.count {
            throw argumentCount(placeholders: count, arguments: arguments.count)
        }
        for (index, value) in arguments.enumerated() { try statement.bindArgument(value, position: index + 1) }
    }
}
