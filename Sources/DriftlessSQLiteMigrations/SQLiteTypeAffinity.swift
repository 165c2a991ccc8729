import Driftless

/// SQLite's five type affinities, which decide what a column does with the values stored in
/// it, whatever its declared type says.
enum SQLiteTypeAffinity: String, Sendable {
    case integer = "INTEGER", text = "TEXT", blob = "BLOB", real = "REAL", numeric = "NUMERIC"

    /// The affinity SQLite gives a declared type, by its documented rules, in order.
    init(declaredType: String) {
        let type = declaredType.uppercased()
        if type.contains("INT") {
            self = .integer
        } else if type.contains("CHAR") || type.contains("CLOB") || type.contains("TEXT") {
            self = .text
        } else if type.contains("BLOB") || type.isEmpty {
            self = .blob
        } else if type.contains("REAL") || type.contains("FLOA") || type.contains("DOUB") {
            self = .real
        } else {
            self = .numeric
        }
    }

    /// Whether a column of this affinity stores a record column of type `declared` without
    /// conversion trouble.
    func holds(_ declared: ColumnType) -> Bool {
        switch declared {
        case .integer, .boolean: self == .integer || self == .numeric
        case .real: self == .real || self == .numeric
        case .text, .uuid, .decimal, .json: self == .text
        case .timestamp: self == .text || self == .numeric
        case .blob: self == .blob
        }
    }
}
