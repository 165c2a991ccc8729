import Driftless

/// The record column type a PostgreSQL type (as `format_type` spells it) naturally holds.
enum PostgresTypeFamily {
    static func columnType(of formatType: String) -> ColumnType? {
        let type = formatType.lowercased()
        if ["bigint", "integer", "smallint"].contains(type) { return .integer }
        if ["double precision", "real"].contains(type) || type.hasPrefix("numeric") { return .real }
        if type == "text" || type.hasPrefix("character") || type.hasPrefix("varchar") || type == "citext" { return .text }
        if type == "boolean" { return .boolean }
        if type.hasPrefix("timestamp") { return .timestamp }
        if type == "uuid" { return .uuid }
        if type == "bytea" { return .blob }
        if type == "json" || type == "jsonb" { return .json }
        return nil
    }
}
