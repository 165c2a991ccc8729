/// Where one declared column of a record lives in the live table: under its name, under a
/// previous name (perhaps converted), under both (during a rename), in the overflow JSON, or
/// nowhere. The planner renders every read, filter and write of the column from it.
struct ColumnResolution {
    /// The SQL of the column's value when the table has it (its quoted name, or a `CASE`
    /// converting a previous column's values); nil when the table lacks it.
    var read: String?
    /// The columns a write assigns: the column's own name, and a previous name while both
    /// exist (with the conversion whose inverse is written there).
    var writes: [(name: String, conversion: ValueConversion?)] = []
    /// Whether the value is kept in the overflow column while the table lacks the column, and
    /// read from there first when it has it (a newer value may wait there to be moved).
    var usesOverflow = false

    var isPresent: Bool { read != nil }

    /// Resolves a declared column against a reflected table (nil: not reflected yet, assume
    /// the declaration is right).
    init<R>(_ column: ColumnDefinition<R>, in table: TableSchema?, overflow: Bool, dialect: any SQLDialect) {
        let caseInsensitive = dialect.identifiersAreCaseInsensitive
        usesOverflow = overflow && column.writePolicy == .keep
        guard let table else {
            read = dialect.quote(column.name)
            writes = [(column.name, nil)]
            return
        }
        let current = table.column(named: column.name, caseInsensitive: caseInsensitive)
        // The first previous name the table still has: every release writes it while it exists.
        let previous = column.previousNames.lazy.compactMap { previous in
            table.column(named: previous.name, caseInsensitive: caseInsensitive).map { (previous, $0.name) }
        }.first
        if let current { writes.append((current.name, nil)) }
        if let (name, live) = previous {
            writes.append((live, name.conversion))
            read = Self.converting(dialect.quote(live), name.conversion, column, dialect: dialect)
        } else if let current {
            read = dialect.quote(current.name)
        }
    }

    /// An old column's value as the new column's: a `CASE` over the mapping, unmapped values
    /// (and NULL) as the column's default.
    private static func converting<R>(_ old: String, _ conversion: ValueConversion?, _ column: ColumnDefinition<R>,
                                      dialect: any SQLDialect) -> String {
        guard let conversion else { return old }
        var text = "(CASE " + old
        for pair in conversion.pairs {
            text += " WHEN " + dialect.literal(pair.old, conversion.oldType) + " THEN " + dialect.literal(pair.new, column.type)
        }
        return text + " ELSE " + dialect.literal(column.defaultValue ?? .null, column.type) + " END)"
    }
}
