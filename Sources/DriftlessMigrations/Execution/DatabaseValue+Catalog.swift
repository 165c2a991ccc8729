import Driftless

/// Reading the values of catalog queries (`PRAGMA`s, `sqlite_master`, `pg_catalog`), which
/// the migrations run through ``MigrationConnection/query(_:arguments:)`` and get back as
/// plain ``DatabaseValue``s.
extension DatabaseValue {
    /// The value as plain text, for messages.
    package var textValue: String {
        switch self {
        case .text(let text): text
        case .null: "NULL"
        default: description
        }
    }

    /// The integer a pragma returned, 0 for anything else.
    package var pragmaInteger: Int {
        if case .integer(let value) = self { return Int(value) }
        return 0
    }

    /// The text a pragma returned, nil for NULL.
    package var pragmaText: String? {
        switch self {
        case .text(let value): value
        case .integer(let value): String(value)
        default: nil
        }
    }
}
