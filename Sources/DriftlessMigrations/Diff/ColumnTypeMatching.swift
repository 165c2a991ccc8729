import Driftless

/// Whether a live column's declared type holds what a record declares.
///
/// The comparison is by what the database does with values, not by spelling: on SQLite by
/// type affinity (a record's `boolean` in an `INTEGER` column is fine, as the decoder reads
/// `0`/`1` as `Bool`), on PostgreSQL by type family (`integer` holds a record's `integer`,
/// `character varying(80)` its `text`).
enum ColumnTypeMatching {
    /// SQLite's five type affinities.
    enum Affinity: String, Sendable {
        case integer = "INTEGER", text = "TEXT", blob = "BLOB", real = "REAL", numeric = "NUMERIC"
    }

    /// The affinity SQLite gives a declared type, by its documented rules, in order.
    static func sqliteAffinity(_ declaredType: String) -> Affinity {
        let type = declaredType.uppercased()
        if type.contains("INT") { return .integer }
        if type.contains("CHAR") || type.contains("CLOB") || type.contains("TEXT") { return .text }
        if type.contains("BLOB") || type.isEmpty { return .blob }
        if type.contains("REAL") || type.contains("FLOA") || type.contains("DOUB") { return .real }
        return .numeric
    }

    /// The record column type a PostgreSQL type (as `format_type` spells it) naturally holds.
    static func postgresColumnType(_ formatType: String) -> ColumnType? {
        let type = formatType.lowercased()
        if ["bigint", "integer", "smallint"].contains(type) { return .integer }
        if ["double precision", "real"].contains(type) || type.hasPrefix("numeric") { return .real }
        if type == "text" || type.hasPrefix("character") || type.hasPrefix("varchar") || type == "citext" { return .text }
        if type == "boolean" { return .boolean }
        if type.hasPrefix("timestamp") { return .timestamp }
        if type == "uuid" { return .uuid }
        if type == "bytea" { return .blob }
        return nil
    }

    /// Whether a live column of `liveType` stores a record column of `declared` type without
    /// conversion trouble.
    static func isCompatible(_ declared: ColumnType, liveType: String, dialectName: String) -> Bool {
        if dialectName == "sqlite" {
            let affinity = sqliteAffinity(liveType)
            switch declared {
            case .integer, .boolean: return affinity == .integer || affinity == .numeric
            case .real: return affinity == .real || affinity == .numeric
            case .text, .uuid: return affinity == .text
            case .timestamp: return affinity == .text || affinity == .numeric
            case .blob: return affinity == .blob
            }
        }
        guard let live = postgresColumnType(liveType) else {
            // json, enums, domains...: only text reads them losslessly.
            return declared == .text
        }
        switch declared {
        case .text: return live == .text || live == .uuid
        case .real: return live == .real || live == .integer
        default: return live == declared
        }
    }
}
