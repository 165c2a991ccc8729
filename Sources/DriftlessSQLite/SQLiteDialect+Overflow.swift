import Driftless

/// SQLite's JSON1 functions over a TEXT overflow column. Keys are addressed as `$."key"`
/// (``OverflowCodec/key(for:)`` keeps `"` out of them); `->` returns a value's JSON text as
/// written, so numbers are read back by the codec, never by SQLite's decimal parser.
extension SQLiteDialect {
    public var emptyOverflow: String { "'{}'" }

    private func path(_ key: String) -> String { standardLiteral(.text("$.\"" + key + "\"")) }

    public func overflowFragment(_ column: String, key: String) -> String {
        "(" + column + " -> " + path(key) + ")"
    }

    public func overflowValue(_ column: String, key: String, type: ColumnType) -> String {
        let value = "json_extract(" + column + ", " + path(key) + ")"
        switch type {
        case .real:
            let tagged = "json_extract(" + column + ", " + standardLiteral(.text("$.\"" + key + "\".\"$real\"")) + ")"
            // SQLite's decimal parser may round the last bit here; reads go through the codec.
            return "(CASE " + tagged + " WHEN 'Infinity' THEN 9e999 WHEN '-Infinity' THEN -9e999 WHEN 'NaN' THEN NULL"
                + " ELSE COALESCE(CAST(" + tagged + " AS REAL), " + value + ") END)"
        case .blob:
            // SQLite 3.40 has no hex decoding function: blobs compare as their tagged JSON.
            return value
        default:
            return value
        }
    }

    public func overflowSetting(_ base: String, keys: [String], values: [String]) -> String {
        var text = "json_set(" + base
        for (key, value) in zip(keys, values) { text += ", " + path(key) + ", json(" + value + ")" }
        return text + ")"
    }

    public func overflowRemoving(_ base: String, keys: [String]) -> String {
        guard !keys.isEmpty else { return base }
        return "json_remove(" + base + keys.map { ", " + path($0) }.joined() + ")"
    }

    public func overflowHoldsAny(_ column: String, keys: [String]) -> String {
        guard !keys.isEmpty else { return "1 = 0" }
        return "(" + keys.map { "json_type(" + column + ", " + path($0) + ") IS NOT NULL" }.joined(separator: " OR ") + ")"
    }

    public func localLockTimeout(milliseconds: Int) -> String? { nil }

    public var rowLocator: String? { "rowid" }
}
