import Driftless

/// PostgreSQL's `jsonb` operators over a `jsonb` overflow column: `->` for a value's JSON,
/// `->>` cast to the column's type for comparisons, `||` to set keys and `-` to remove them.
extension PostgresDialect {
    public var emptyOverflow: String { "'{}'::jsonb" }

    private func key(_ key: String) -> String { standardLiteral(.text(key)) }

    public func overflowFragment(_ column: String, key name: String) -> String {
        "(" + column + " -> " + key(name) + ")"
    }

    public func overflowValue(_ column: String, key name: String, type: ColumnType) -> String {
        let text = "(" + column + " ->> " + key(name) + ")"
        switch type {
        case .text: return text
        case .real:
            return "CAST(COALESCE(" + column + " -> " + key(name) + " ->> '$real', " + text + ") AS double precision)"
        case .blob: return "decode(" + column + " -> " + key(name) + " ->> '$blob', 'hex')"
        case .boolean: return "CAST(CAST(" + text + " AS integer) AS boolean)"
        default: return "CAST(" + text + " AS " + typeName(type) + ")"
        }
    }

    public func overflowSetting(_ base: String, keys: [String], values: [String]) -> String {
        guard !keys.isEmpty else { return base }
        let pairs = zip(keys, values).map { key($0) + ", CAST(" + $1 + " AS jsonb)" }
        return "(" + base + " || jsonb_build_object(" + pairs.joined(separator: ", ") + "))"
    }

    public func overflowRemoving(_ base: String, keys: [String]) -> String {
        guard !keys.isEmpty else { return base }
        return "(" + base + " - CAST(ARRAY[" + keys.map(key).joined(separator: ", ") + "] AS text[]))"
    }

    public func overflowHoldsAny(_ column: String, keys: [String]) -> String {
        guard !keys.isEmpty else { return "1 = 0" }
        return "(" + column + " ?| CAST(ARRAY[" + keys.map(key).joined(separator: ", ") + "] AS text[]))"
    }

    public func localLockTimeout(milliseconds: Int) -> String? {
        "SET LOCAL lock_timeout = '\(milliseconds)ms'"
    }

    public var rowLocator: String? { "ctid" }
}
