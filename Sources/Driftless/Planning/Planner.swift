/// Renders the SQL of a plan from a record's declaration and what the schema map knows of
/// its table.
///
/// A declared column the table lacks becomes its default wherever it appears: a literal
/// `AS` the column in select lists (so rows keep their shape and decoding does not change),
/// the same literal in filters, nothing in ORDER BY, nothing in INSERT/UPDATE column lists.
struct Planner<R: Record> {
    let schema: RecordSchema<R>
    let dialect: any SQLDialect
    /// Per declared column: whether the table has it.
    let present: [Bool]
    let tableState: TableState

    init(tableState: TableState, dialect: any SQLDialect) {
        schema = R.schema
        self.dialect = dialect
        self.tableState = tableState
        switch tableState {
        case .unknown, .missing:
            present = Array(repeating: true, count: schema.columns.count)
        case .present(let table):
            present = schema.columns.map {
                table.column(named: $0.name, caseInsensitive: dialect.identifiersAreCaseInsensitive) != nil
            }
        }
    }

    func plan(_ kind: PlanKind, generation: Int) throws -> Plan {
        let key = PlanKey(record: ObjectIdentifier(R.self), kind: kind)
        let layout = projectionLayout(kind) ?? RowLayout(schema: schema)
        if case .missing = tableState {
            return Plan(key: key, table: schema.table, sql: nil, mode: .tableMissing,
                        generation: generation, layout: layout)
        }
        let missing = schema.columns.indices.filter { !present[$0] }
        let mode: PlanMode = missing.isEmpty ? .full : .projected(missing: missing.map { schema.columns[$0].name })
        let (sql, bound) = try render(kind)
        return Plan(
            key: key, table: schema.table, sql: sql.text, mode: mode, generation: generation,
            layout: layout, boundColumns: bound, missingColumns: kind.writtenColumns.map { written in
                missing.filter(written.contains)
            } ?? missing,
            unknownRequiredColumn: unknownRequiredColumn,
            missingKeyColumn: schema.primaryKeyIndexes.first { !present[$0] }.map { schema.columns[$0].name })
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
            sql.append("DELETE FROM "); sql.append(dialect.quote(schema.table))
            renderKeyCondition(into: &sql)
        case .deleteAll(let predicate):
            sql.append("DELETE FROM "); sql.append(dialect.quote(schema.table))
            try renderWhere(into: &sql, predicate)
        case .updateColumns(let columns):
            bound = try renderUpdate(columns: columns, into: &sql)
        case .updateAll(let predicate, let assignments):
            bound = try renderUpdateAll(assignments, where: predicate, into: &sql)
        case .project(let shape):
            try renderProjection(shape, into: &sql)
        }
        return (sql, bound)
    }

    // MARK: Reads

    private func renderSelect(_ shape: QueryShape, into sql: inout SQLBuilder) throws {
        sql.append("SELECT ")
        renderColumnList(into: &sql)
        sql.append(" FROM ")
        sql.append(dialect.quote(schema.table))
        try renderWhere(into: &sql, shape.predicate)
        try renderOrder(into: &sql, shape.orderings)
        if shape.hasLimit { sql.append(" LIMIT "); sql.appendPlaceholder() }
        if shape.hasOffset { sql.append(" OFFSET "); sql.appendPlaceholder() }
    }

    private func renderFind(into sql: inout SQLBuilder) throws {
        try requirePrimaryKey()
        sql.append("SELECT "); renderColumnList(into: &sql)
        sql.append(" FROM "); sql.append(dialect.quote(schema.table))
        renderKeyCondition(into: &sql)
    }

    private func renderCount(_ predicate: ConditionShape?, into sql: inout SQLBuilder) throws {
        sql.append("SELECT COUNT(*) FROM "); sql.append(dialect.quote(schema.table))
        try renderWhere(into: &sql, predicate)
    }

    private func renderExists(_ predicate: ConditionShape?, into sql: inout SQLBuilder) throws {
        sql.append("SELECT 1 FROM "); sql.append(dialect.quote(schema.table))
        try renderWhere(into: &sql, predicate)
        sql.append(" LIMIT 1")
    }

    // MARK: Writes

    /// `INSERT INTO ... VALUES` with one placeholder list per row, naming only the columns
    /// the table has (and leaving the key out when the database assigns it).
    ///
    /// - Returns: The declared columns each row binds, in order.
    private func renderInsert(rows: Int, assignsKey: Bool, into sql: inout SQLBuilder) throws -> [Int] {
        let bound = schema.columns.indices.filter { present[$0] && !(assignsKey && schema.columns[$0].isPrimaryKey) }
        sql.append("INSERT INTO "); sql.append(dialect.quote(schema.table))
        guard !bound.isEmpty else {
            // Only a single-row plan can insert nothing but defaults.
            guard rows == 1 else {
                throw DriftlessError.invalidQuery(.emptyMultiRowInsert, record: "\(R.self)",
                                                  detail: "a multi-row insert with no column to bind")
            }
            sql.append(" DEFAULT VALUES")
            return bound
        }
        sql.append(" (")
        sql.appendList(bound) { $0.append(dialect.quote(schema.columns[$1].name)) }
        sql.append(") VALUES ")
        sql.appendList(Array(0..<rows)) { builder, _ in
            builder.append("(")
            builder.appendList(bound) { builder, _ in builder.appendPlaceholder() }
            builder.append(")")
        }
        return bound
    }

    /// An upsert's `ON CONFLICT (key) DO UPDATE SET` every bound column but the key (`DO
    /// NOTHING` when there is none).
    private func renderConflictClause(updating bound: [Int], into sql: inout SQLBuilder) {
        sql.append(" ON CONFLICT (")
        sql.appendList(schema.primaryKeyIndexes) { $0.append(dialect.quote(schema.columns[$1].name)) }
        let assigned = bound.filter { !schema.columns[$0].isPrimaryKey }
        guard !assigned.isEmpty else { return sql.append(") DO NOTHING") }
        sql.append(") DO UPDATE SET ")
        sql.appendList(assigned) {
            let column = dialect.quote(schema.columns[$1].name)
            $0.append(column + " = excluded." + column)
        }
    }

    /// `UPDATE ... SET` every column the table has but the key, `WHERE` the key.
    ///
    /// - Returns: The declared columns it binds before the key, in order.
    func renderUpdate(columns: [Int]? = nil, into sql: inout SQLBuilder) throws -> [Int] {
        try requirePrimaryKey()
        let bound = (columns ?? Array(schema.columns.indices)).filter { present[$0] && !schema.columns[$0].isPrimaryKey }
        sql.append("UPDATE "); sql.append(dialect.quote(schema.table)); sql.append(" SET ")
        if bound.isEmpty {
            // Nothing to assign but the row must still be found: assign the key to itself.
            let key = dialect.quote(schema.columns[schema.primaryKeyIndexes[0]].name)
            sql.append(key + " = " + key)
        } else {
            sql.appendList(bound) { builder, index in
                builder.append(dialect.quote(schema.columns[index].name) + " = ")
                builder.appendPlaceholder()
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

    func requirePrimaryKey() throws {
        if schema.primaryKeyIndexes.isEmpty { throw DriftlessError.noPrimaryKey(record: "\(R.self)") }
    }

    /// The declared columns in order, each missing one as `<default> AS "name"`.
    func renderColumnList(into sql: inout SQLBuilder) {
        sql.appendList(Array(schema.columns.indices)) { builder, index in
            let column = schema.columns[index]
            if present[index] {
                builder.append(dialect.quote(column.name))
            } else {
                builder.append(defaultLiteral(index) + " AS " + dialect.quote(column.name))
            }
        }
    }

    func defaultLiteral(_ index: Int) -> String {
        let column = schema.columns[index]
        return dialect.literal(column.defaultValue ?? .null, column.type)
    }

    func renderKeyCondition(into sql: inout SQLBuilder) {
        sql.append(" WHERE ")
        for (position, index) in schema.primaryKeyIndexes.enumerated() {
            if position > 0 { sql.append(" AND ") }
            sql.append(expression(index) + " = ")
            sql.appendPlaceholder()
        }
    }

    func renderWhere(into sql: inout SQLBuilder, _ predicate: ConditionShape?) throws {
        guard let predicate else { return }
        sql.append(" WHERE ")
        try render(predicate, into: &sql)
    }

    /// A column as an expression: its name, or its default if the table lacks it.
    func expression(_ index: Int) -> String {
        present[index] ? dialect.quote(schema.columns[index].name) : defaultLiteral(index)
    }

    func expression(_ reference: ColumnReference) throws -> String {
        switch reference {
        case .declared(let index): return expression(index)
        case .undeclared(let keyPath):
            throw DriftlessError.invalidQuery(.undeclaredColumn, record: "\(R.self)", column: "\(keyPath)",
                                              detail: "\(keyPath) is not a declared column of \(R.self)")
        }
    }

    func render(_ predicate: ConditionShape, into sql: inout SQLBuilder) throws {
        switch predicate {
        case .comparison(let column, let op):
            sql.append(try expression(column) + " " + op.rawValue + " ")
            sql.appendPlaceholder()
        case .in(let column, let count):
            if count == 0 { sql.append("1 = 0"); return }
            sql.append(try expression(column) + " IN (")
            sql.appendList(Array(0..<count)) { builder, _ in builder.appendPlaceholder() }
            sql.append(")")
        case .like(let column, let escape, let caseInsensitive):
            var value = try expression(column)
            var pattern = sql.nextPlaceholder()
            if caseInsensitive {
                value = dialect.asciiLowercase(value)
                pattern = dialect.asciiLowercase(pattern)
            }
            sql.append(dialect.like(value, pattern: pattern, escape: escape.map { dialect.standardLiteral(.text(String($0))) }))
        case .equalIgnoringCase(let column):
            let value = dialect.asciiLowercase(try expression(column))
            sql.append(value + " = " + dialect.asciiLowercase(sql.nextPlaceholder()))
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
        case .selection(let selection, let op):
            sql.append(try selectionExpression(selection) + " " + op.rawValue + " ")
            sql.appendPlaceholder()
        case .json(let column, let field, let kind):
            let document = try expression(column)
            let value: String? = switch kind {
            case .string, .number: sql.nextPlaceholder()
            default: nil
            }
            sql.append(dialect.jsonFieldTest(document, field: field, kind, value: value))
        case .selections(let lhs, let op, let rhs):
            sql.append(try selectionExpression(lhs) + " " + op.rawValue + " " + selectionExpression(rhs))
        }
    }

    func renderOrder(into sql: inout SQLBuilder, _ orderings: [OrderingShape]) throws {
        var terms: [String] = []
        for ordering in orderings {
            guard case .declared(let index) = ordering.column else {
                _ = try expression(ordering.column)
                continue
            }
            // Every row holds the default of a missing column: ordering by it orders nothing.
            guard present[index] else { continue }
            terms.append(dialect.quote(schema.columns[index].name) + (ordering.descending ? " DESC" : " ASC"))
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

    /// The next parameter's placeholder, for SQL a dialect renders around it (used once).
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
