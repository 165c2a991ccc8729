/// Renders the SQL of a plan from a record's declaration and what the schema map knows of
/// its table.
///
/// A declared column the table lacks becomes its default wherever it appears: a literal
/// `AS` the column in select lists (so rows keep their shape and decoding does not change),
/// the same literal in filters, nothing in ORDER BY, nothing in INSERT/UPDATE column lists.
///
/// A column kept in the overflow (``MissingColumnWritePolicy/keep``) reads from the table's
/// overflow JSON while missing, and from there first while present (a newer value may wait to
/// be moved); every write of a present column removes its key from the overflow, so that a
/// value there is always newer than the column's. Renamed columns resolve as
/// ``ColumnResolution`` says.
struct Planner<R: Record> {
    let schema: RecordSchema<R>
    let dialect: any SQLDialect
    /// Per declared column: where the table has it.
    let columns: [ColumnResolution]
    /// Per declared column: whether the table has it (under some name).
    let present: [Bool]
    let tableState: TableState
    /// The quoted table: the declared name, or the previous name the table still has.
    let tableSQL: String
    /// The quoted overflow column, when the record uses it and the table has it (or is not
    /// reflected yet: then its statements assume it, and reflect if it is not there).
    let overflow: String?
    /// Whether some column (or the table) is used under a previous name.
    var readsPreviousNames: Bool {
        if case .present(let table) = tableState, table.table != schema.table { return true }
        return zip(columns, schema.columns).contains { resolution, column in
            resolution.writes.contains { !dialect.sameIdentifier($0.name, column.name) }
        }
    }
    /// Whether the record keeps values in an overflow column the table lacks.
    let lacksOverflow: Bool

    init(tableState: TableState, dialect: any SQLDialect) {
        let schema = R.schema
        self.schema = schema
        self.dialect = dialect
        self.tableState = tableState
        var reflected: TableSchema?
        if case .present(let table) = tableState { reflected = table }
        var hasOverflow = schema.usesOverflow
        if hasOverflow, let reflected {
            hasOverflow = reflected.column(named: schema.overflowColumn, caseInsensitive: dialect.identifiersAreCaseInsensitive) != nil
        }
        overflow = hasOverflow ? dialect.quote(schema.overflowColumn) : nil
        lacksOverflow = schema.usesOverflow && !hasOverflow
        let columns = schema.columns.map { ColumnResolution($0, in: reflected, overflow: hasOverflow, dialect: dialect) }
        self.columns = columns
        present = columns.map(\.isPresent)
        tableSQL = dialect.quote(reflected?.table ?? schema.table)
    }

    func plan(_ kind: PlanKind, generation: Int) throws -> Plan {
        let key = PlanKey(record: ObjectIdentifier(R.self), kind: kind)
        let layout = RowLayout(schema: schema, overflowIndexes: overflowIndexes)
        if case .missing = tableState {
            return Plan(key: key, table: schema.table, sql: nil, mode: .tableMissing,
                        generation: generation, layout: layout)
        }
        let missing = schema.columns.indices.filter { !present[$0] }
        let mode: PlanMode = missing.isEmpty ? .full : .projected(missing: missing.map { schema.columns[$0].name })
        let (sql, bound) = try render(kind)
        return Plan(
            key: key, table: schema.table, sql: sql.text, mode: mode, generation: generation,
            layout: layout, boundColumns: bound, extraBindings: kind.isWrite ? extraBindings(kind) : [],
            missingColumns: missing.filter { !columns[$0].usesOverflow }, keptColumns: missing.filter { columns[$0].usesOverflow },
            lacksOverflow: lacksOverflow,
            unknownRequiredColumn: unknownRequiredColumn,
            missingKeyColumn: schema.primaryKeyIndexes.first { !present[$0] }.map { schema.columns[$0].name },
            watchesSchema: readsPreviousNames)
    }

    /// The statement of one plan kind, and the declared columns it binds (in order) for writes.
    private func render(_ kind: PlanKind) throws -> (SQLBuilder, bound: [Int]) {
        var sql = SQLBuilder(dialect: dialect)
        var bound: [Int] = []
        switch kind {
        case .select(let shape):
            try renderSelect(shape, into: &sql)
        case .find:
            try renderFind(into: &sql)
        case .count(let predicate):
            try renderCount(predicate, into: &sql)
        case .exists(let predicate):
            try renderExists(predicate, into: &sql)
        case .insert(let rows, let assignsKey):
            bound = try renderInsert(rows: rows, assignsKey: assignsKey, into: &sql)
        case .insertReturning(let assignsKey):
            bound = try renderInsert(rows: 1, assignsKey: assignsKey, into: &sql)
            sql.append(" RETURNING "); renderColumnList(into: &sql)
        case .upsert:
            try requirePrimaryKey()
            bound = try renderInsert(rows: 1, assignsKey: false, into: &sql)
            renderConflictClause(updating: bound, into: &sql)
        case .update:
            bound = try renderUpdate(into: &sql)
        case .delete:
            try requirePrimaryKey()
            sql.append("DELETE FROM "); sql.append(tableSQL)
            renderKeyCondition(into: &sql)
        case .deleteAll(let predicate):
            sql.append("DELETE FROM "); sql.append(tableSQL)
            try renderWhere(into: &sql, predicate)
        }
        return (sql, bound)
    }

    // MARK: Reads

    private func renderSelect(_ shape: QueryShape, into sql: inout SQLBuilder) throws {
        sql.append("SELECT ")
        renderColumnList(into: &sql)
        sql.append(" FROM ")
        sql.append(tableSQL)
        try renderWhere(into: &sql, shape.predicate)
        try renderOrder(into: &sql, shape.orderings)
        if shape.hasLimit { sql.append(" LIMIT "); sql.appendPlaceholder() }
        if shape.hasOffset { sql.append(" OFFSET "); sql.appendPlaceholder() }
    }

    private func renderFind(into sql: inout SQLBuilder) throws {
        try requirePrimaryKey()
        sql.append("SELECT "); renderColumnList(into: &sql)
        sql.append(" FROM "); sql.append(tableSQL)
        renderKeyCondition(into: &sql)
    }

    private func renderCount(_ predicate: ConditionShape?, into sql: inout SQLBuilder) throws {
        sql.append("SELECT COUNT(*) FROM "); sql.append(tableSQL)
        try renderWhere(into: &sql, predicate)
    }

    private func renderExists(_ predicate: ConditionShape?, into sql: inout SQLBuilder) throws {
        sql.append("SELECT 1 FROM "); sql.append(tableSQL)
        try renderWhere(into: &sql, predicate)
        sql.append(" LIMIT 1")
    }

    // MARK: Writes

    /// `INSERT INTO ... VALUES` with one placeholder list per row, naming only the columns
    /// the table has (and leaving the key out when the database assigns it).
    ///
    /// - Returns: The declared columns each row binds, in order.
    private func renderInsert(rows: Int, assignsKey: Bool, into sql: inout SQLBuilder) throws -> [Int] {
        let bound = schema.columns.indices.filter { bindsPlainly($0) && !(assignsKey && schema.columns[$0].isPrimaryKey) }
        let extras = extraTargets(assignsKey: assignsKey)
        sql.append("INSERT INTO "); sql.append(tableSQL)
        guard !bound.isEmpty || !extras.isEmpty else {
            // Only a single-row plan can insert nothing but defaults.
            guard rows == 1 else {
                throw DriftlessError.invalidQuery(.emptyMultiRowInsert, record: "\(R.self)",
                                                  detail: "a multi-row insert with no column to bind")
            }
            sql.append(" DEFAULT VALUES")
            return bound
        }
        sql.append(" (")
        sql.appendList(bound.map { writeName($0) } + extras.map(\.column)) { $0.append(dialect.quote($1)) }
        sql.append(") VALUES ")
        sql.appendList(Array(0..<rows)) { builder, _ in
            builder.append("(")
            builder.appendList(bound) { builder, _ in builder.appendPlaceholder() }
            for extra in extras {
                builder.append(", ")
                extra.render(&builder, dialect.emptyOverflow)
            }
            builder.append(")")
        }
        return bound
    }

    /// The name a write assigns a present column under: its own if the table has it, else
    /// the previous name it still has.
    private func writeName(_ index: Int) -> String {
        columns[index].writes.first?.name ?? schema.columns[index].name
    }

    /// Whether a write binds the column's value as it is to its first write target (the
    /// hot path); a previous column that converts is bound as an extra.
    private func bindsPlainly(_ index: Int) -> Bool {
        present[index] && columns[index].writes.first?.conversion == nil
    }

    /// The write targets bound after the plain ones: a second name during a rename, or a
    /// previous name that converts.
    private func extraWrites(_ index: Int) -> [(name: String, conversion: ValueConversion?)] {
        columns[index].writes.enumerated().filter { $0.offset > 0 || $0.element.conversion != nil }.map(\.element)
    }

    /// What writes assign beyond one value per present column, after those: previous
    /// columns during a rename (converted), then the overflow (kept values set, the keys
    /// of present columns removed). Each renders its value from placeholders, in the order
    /// of ``extraBindings(_:)``.
    private func extraTargets(assignsKey: Bool = false, updating: Bool = false) -> [ExtraTarget] {
        var targets: [ExtraTarget] = []
        for index in schema.columns.indices where !((assignsKey || updating) && schema.columns[index].isPrimaryKey) {
            for write in extraWrites(index) {
                targets.append(ExtraTarget(column: write.name) { builder, _ in builder.appendPlaceholder() })
            }
        }
        guard let overflow else { return targets }
        let kept = keptIndexes.map { OverflowCodec.key(for: schema.columns[$0].name) }
        let stale = updating ? schema.columns.indices.filter { present[$0] }.map { OverflowCodec.key(for: schema.columns[$0].name) } : []
        guard !kept.isEmpty || !stale.isEmpty else { return targets }
        targets.append(ExtraTarget(column: schema.overflowColumn) { builder, empty in
            let base = updating ? "COALESCE(" + overflow + ", " + empty + ")" : empty
            var placeholders: [String] = []
            for _ in kept { placeholders.append(builder.nextPlaceholder()) }
            builder.append(dialect.overflowRemoving(dialect.overflowSetting(base, keys: kept, values: placeholders), keys: stale))
        })
        return targets
    }

    /// Declared columns the table lacks whose values are kept in the overflow.
    private var keptIndexes: [Int] {
        overflow == nil ? [] : schema.columns.indices.filter { !present[$0] && columns[$0].usesOverflow }
    }

    /// The values ``extraTargets(assignsKey:updating:)`` binds, in order.
    private func extraBindings(_ kind: PlanKind) -> [Plan.ExtraBinding] {
        var assignsKey = false
        if case .insert(_, let assigns) = kind { assignsKey = assigns }
        if case .insertReturning(let assigns) = kind { assignsKey = assigns }
        switch kind {
        case .delete, .deleteAll: return []
        default: break
        }
        var bindings: [Plan.ExtraBinding] = []
        for index in schema.columns.indices where !(assignsKey && schema.columns[index].isPrimaryKey) {
            if kind == .update && schema.columns[index].isPrimaryKey { continue }
            for write in extraWrites(index) {
                bindings.append(.previous(column: index, conversion: write.conversion))
            }
        }
        bindings += keptIndexes.map { .overflow(column: $0) }
        return bindings
    }

    /// For reads: the result column holding each declared column's overflow value (after the
    /// declared ones), or nil when no column reads from the overflow.
    private var overflowIndexes: [Int]? {
        guard overflow != nil else { return nil }
        var next = schema.columns.count
        var indexes: [Int] = []
        for column in columns {
            if column.usesOverflow { indexes.append(next); next += 1 } else { indexes.append(-1) }
        }
        return indexes
    }

    /// An upsert's `ON CONFLICT (key) DO UPDATE SET` every bound column but the key (`DO
    /// NOTHING` when there is none).
    private func renderConflictClause(updating bound: [Int], into sql: inout SQLBuilder) {
        sql.append(" ON CONFLICT (")
        sql.appendList(schema.primaryKeyIndexes) { $0.append(dialect.quote(writeName($1))) }
        let assigned = bound.filter { !schema.columns[$0].isPrimaryKey }.map { writeName($0) }
            + schema.columns.indices.filter { !schema.columns[$0].isPrimaryKey }.flatMap { extraWrites($0).map(\.name) }
        var overflowAssignment: String?
        if let overflow {
            let kept = keptIndexes.map { OverflowCodec.key(for: schema.columns[$0].name) }
            let stale = schema.columns.indices.filter { present[$0] }.map { OverflowCodec.key(for: schema.columns[$0].name) }
            // Qualified: PostgreSQL finds a bare name ambiguous beside `excluded`.
            let base = "COALESCE(" + tableSQL + "." + overflow + ", " + dialect.emptyOverflow + ")"
            let values = kept.map { dialect.overflowFragment("excluded." + overflow, key: $0) }
            overflowAssignment = overflow + " = " + dialect.overflowRemoving(dialect.overflowSetting(base, keys: kept, values: values), keys: stale)
        }
        guard !assigned.isEmpty || overflowAssignment != nil else { return sql.append(") DO NOTHING") }
        sql.append(") DO UPDATE SET ")
        sql.appendList(assigned.map { dialect.quote($0) + " = excluded." + dialect.quote($0) } + [overflowAssignment].compactMap { $0 }) {
            $0.append($1)
        }
    }

    /// `UPDATE ... SET` every column the table has but the key, `WHERE` the key.
    ///
    /// - Returns: The declared columns it binds before the key, in order.
    private func renderUpdate(into sql: inout SQLBuilder) throws -> [Int] {
        try requirePrimaryKey()
        let bound = schema.columns.indices.filter { bindsPlainly($0) && !schema.columns[$0].isPrimaryKey }
        let extras = extraTargets(updating: true)
        sql.append("UPDATE "); sql.append(tableSQL); sql.append(" SET ")
        if bound.isEmpty && extras.isEmpty {
            // Nothing to assign but the row must still be found: assign the key to itself.
            let key = dialect.quote(writeName(schema.primaryKeyIndexes[0]))
            sql.append(key + " = " + key)
        } else {
            sql.appendList(bound) { builder, index in
                builder.append(dialect.quote(writeName(index)) + " = ")
                builder.appendPlaceholder()
            }
            for (position, extra) in extras.enumerated() {
                if position > 0 || !bound.isEmpty { sql.append(", ") }
                sql.append(dialect.quote(extra.column) + " = ")
                extra.render(&sql, dialect.emptyOverflow)
            }
        }
        renderKeyCondition(into: &sql)
        return bound
    }

    // MARK: Clauses

    /// The first column the table requires on insert that the record does not declare.
    private var unknownRequiredColumn: String? {
        guard case .present(let table) = tableState else { return nil }
        return table.columns.first { column in
            column.isRequiredOnInsert && schema.columnIndex(named: column.name) == nil
        }?.name
    }

    private func requirePrimaryKey() throws {
        if schema.primaryKeyIndexes.isEmpty { throw DriftlessError.noPrimaryKey(record: "\(R.self)") }
    }

    /// The declared columns in order, each missing one as `<default> AS "name"`.
    private func renderColumnList(into sql: inout SQLBuilder) {
        sql.appendList(Array(schema.columns.indices)) { builder, index in
            let column = schema.columns[index]
            if let read = columns[index].read {
                builder.append(read == dialect.quote(column.name) ? read : read + " AS " + dialect.quote(column.name))
            } else {
                builder.append(defaultLiteral(index) + " AS " + dialect.quote(column.name))
            }
        }
        // The JSON of each overflow value, after the declared columns (see RowLayout).
        guard let overflow else { return }
        for (index, column) in columns.enumerated() where column.usesOverflow {
            sql.append(", " + dialect.overflowFragment(overflow, key: OverflowCodec.key(for: schema.columns[index].name)))
        }
    }

    private func defaultLiteral(_ index: Int) -> String {
        let column = schema.columns[index]
        return dialect.literal(column.defaultValue ?? .null, column.type)
    }

    private func renderKeyCondition(into sql: inout SQLBuilder) {
        sql.append(" WHERE ")
        for (position, index) in schema.primaryKeyIndexes.enumerated() {
            if position > 0 { sql.append(" AND ") }
            sql.append(expression(index) + " = ")
            sql.appendPlaceholder()
        }
    }

    private func renderWhere(into sql: inout SQLBuilder, _ predicate: ConditionShape?) throws {
        guard let predicate else { return }
        sql.append(" WHERE ")
        try render(predicate, into: &sql)
    }

    /// A column as an expression: its value, or its default if the table lacks it; for a
    /// column kept in the overflow, the value there when there is one.
    private func expression(_ index: Int) -> String {
        let base = columns[index].read ?? defaultLiteral(index)
        guard let overflow, columns[index].usesOverflow else { return base }
        let key = OverflowCodec.key(for: schema.columns[index].name)
        return "(CASE WHEN " + dialect.overflowFragment(overflow, key: key) + " IS NULL THEN " + base
            + " ELSE " + dialect.overflowValue(overflow, key: key, type: schema.columns[index].type) + " END)"
    }

    private func expression(_ reference: ColumnReference) throws -> String {
        switch reference {
        case .declared(let index): return expression(index)
        case .undeclared(let keyPath):
            throw DriftlessError.invalidQuery(.undeclaredColumn, record: "\(R.self)", column: "\(keyPath)",
                                              detail: "\(keyPath) is not a declared column of \(R.self)")
        }
    }

    private func render(_ predicate: ConditionShape, into sql: inout SQLBuilder) throws {
        switch predicate {
        case .comparison(let column, let op):
            sql.append(try expression(column) + " " + op.rawValue + " ")
            sql.appendPlaceholder()
        case .in(let column, let count):
            if count == 0 { sql.append("1 = 0"); return }
            sql.append(try expression(column) + " IN (")
            sql.appendList(Array(0..<count)) { builder, _ in builder.appendPlaceholder() }
            sql.append(")")
        case .like(let column):
            sql.append(try expression(column) + " LIKE ")
            sql.appendPlaceholder()
        case .isNull(let column):
            sql.append(try expression(column) + " IS NULL")
        case .and(let lhs, let rhs), .or(let lhs, let rhs):
            sql.append("(")
            try render(lhs, into: &sql)
            if case .and = predicate { sql.append(" AND ") } else { sql.append(" OR ") }
            try render(rhs, into: &sql)
            sql.append(")")
        case .not(let inner):
            sql.append("NOT (")
            try render(inner, into: &sql)
            sql.append(")")
        case .constant(let value):
            sql.append(value ? "1 = 1" : "1 = 0")
        }
    }

    private func renderOrder(into sql: inout SQLBuilder, _ orderings: [OrderingShape]) throws {
        var terms: [String] = []
        for ordering in orderings {
            guard case .declared(let index) = ordering.column else {
                _ = try expression(ordering.column)
                continue
            }
            // Every row holds the default of a missing column: ordering by it orders nothing.
            guard present[index] || (overflow != nil && columns[index].usesOverflow) else { continue }
            terms.append(expression(index) + (ordering.descending ? " DESC" : " ASC"))
        }
        if !terms.isEmpty { sql.append(" ORDER BY " + terms.joined(separator: ", ")) }
    }
}

/// SQL text with numbered placeholders.
struct SQLBuilder {
    let dialect: any SQLDialect
    private(set) var text = ""
    private var parameterCount = 0

    init(dialect: any SQLDialect) { self.dialect = dialect }

    mutating func append(_ fragment: String) { text += fragment }

    mutating func appendPlaceholder() {
        text += nextPlaceholder()
    }

    /// The next placeholder, counted but not appended (for a fragment built around it).
    mutating func nextPlaceholder() -> String {
        parameterCount += 1
        return dialect.placeholder(parameterCount)
    }

    mutating func appendList<C: Collection>(_ items: C, _ render: (inout SQLBuilder, C.Element) -> Void) {
        for (position, item) in items.enumerated() {
            if position > 0 { text += ", " }
            render(&self, item)
        }
    }
}

/// A column a write assigns beyond the record's present columns, with how its value renders
/// (from placeholders it appends, given the dialect's empty overflow object).
private struct ExtraTarget {
    let column: String
    let render: (inout SQLBuilder, String) -> Void
}
