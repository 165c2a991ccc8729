import Metrics

/// Runs a record's plans on one connection, recovering from drift.
///
/// Every operation goes through ``run(_:_:)``: find the connection's cached statement for
/// the plan (an array slot for the fixed kinds, a dictionary for queries, and one atomic
/// load), execute it, and if it fails because the schema differs, reflect the table,
/// recompile and retry once. The caller never sees the drift error; later calls find the
/// recompiled plan directly.
///
/// The steady-state path (``run(_:_:)``, the reads, the inserts) is `@inlinable`, so that it
/// is specialised for the caller's record type and backend where the repository is used:
/// unspecialised, each call looked up generic metadata at run time. Compiling plans and
/// recovering from drift stay out of line.
@usableFromInline
struct RecordExecutor<R: Record, Connection: DriverConnection> {
    @usableFromInline let connection: Connection
    @usableFromInline let context: DriftContext
    /// The operation's span, when tracing is on (``QueryTracing``).
    @usableFromInline var trace: QueryTrace?

    @inlinable
    init(connection: Connection, context: DriftContext, trace: QueryTrace? = nil) {
        self.connection = connection
        self.context = context
        self.trace = trace
    }

    @inlinable
    var schema: RecordSchema<R> { R.schema }

    // MARK: Running plans

    /// Runs `body` with the current plan and its prepared statement (nil when the table is
    /// missing). `body` sets `delivered` once it has handed a row to the caller, after which a
    /// failure is rethrown rather than retried.
    @inlinable
    func run<T>(_ kind: PlanKind, _ body: (Plan, Connection.Statement?, inout Bool) throws -> T) throws -> T {
        // Tracing off costs this one branch.
        guard let trace else { return try attempts(kind, body) }
        return try trace.span(kind, table: schema.table) { annotate in
            try attempts(kind) { plan, statement, delivered in
                annotate(plan)
                return try body(plan, statement, &delivered)
            }
        }
    }

    @inlinable
    func attempts<T>(_ kind: PlanKind, _ body: (Plan, Connection.Statement?, inout Bool) throws -> T) throws -> T {
        context.noteConnectionUse()
        var retried = false
        while true {
            var delivered = false
            // The schema map as this attempt found it: if another connection reflects the
            // table meanwhile, our own reflection finds nothing new, yet our plan is stale.
            let generation = context.schemaMap.generation
            do {
                let (plan, statement) = try preparedStatement(kind, generation: generation)
                return try body(plan, statement, &delivered)
            } catch {
                try recover(from: error, kind: kind, delivered: delivered, retried: &retried, generation: generation)
            }
        }
    }

    /// After a failed attempt: rethrows what is not drift (or came after rows were delivered,
    /// or persists after one retry), and otherwise reflects the table so that the next
    /// attempt compiles a plan for it.
    @usableFromInline
    func recover(from error: any Error, kind: PlanKind, delivered: Bool, retried: inout Bool, generation: Int) throws {
        guard let error = error as? DatabaseError else { throw error }
        connection.statementCache.evict(PlanKey(record: ObjectIdentifier(R.self), kind: kind), slot: slot(of: kind))
        if error.kind == .notNullViolation, let column = error.column, !declares(column, in: error) {
            try context.reflect(R.self, on: connection)
            // The reflected table names the column exactly (a message may not: SQLite
            // writes `table.column`, and either may hold dots).
            let required = (try? context.plan(.insert(rows: 1, assignsKey: false), for: R.self))?.unknownRequiredColumn
            throw DriftlessError.unknownRequiredColumn(table: schema.table, column: required ?? column)
        }
        if delivered {
            var error = error
            error.afterRowsWereDelivered = true
            throw error
        }
        guard error.isSchemaDrift, !retried else { throw error }
        retried = true
        context.statistics.noteDriftError()
        trace?.noteDriftRecovered()
        // If reflection finds nothing new (here or on another connection since this
        // attempt began), the error is not ours to hide.
        let changed = try context.reflect(R.self, on: connection)
        guard changed || context.schemaMap.generation != generation else { throw error }
    }

    /// Whether the column a NOT NULL violation names is one the record declares: by the
    /// name the backend extracted, or by the message ending in `.` and a declared name.
    private func declares(_ column: String, in error: DatabaseError) -> Bool {
        if schema.columnIndex(named: column) != nil { return true }
        let message = Array(error.message.utf8)
        return schema.columns.contains { declared in
            let suffix = Array(("." + declared.name).utf8)
            return message.count >= suffix.count && message.suffix(suffix.count).elementsEqual(suffix)
        }
    }

    /// The connection's statement-cache slot of a fixed plan kind of this record type.
    @inlinable
    func slot(of kind: PlanKind) -> Int? {
        kind.fixedSlot.map { schema.planSlots &+ $0 }
    }

    /// The plan of `kind` and the connection's statement for it: the cached pair while it is
    /// current; a first use or a new generation compiles out of line.
    @inlinable
    func preparedStatement(_ kind: PlanKind, generation: Int) throws -> (Plan, Connection.Statement?) {
        let cache = connection.statementCache
        let slot = slot(of: kind)
        let cached = slot.map(cache.entry(atSlot:)) ?? cache.plans[PlanKey(record: ObjectIdentifier(R.self), kind: kind)]
        if let cached, cached.plan.generation == generation {
            // A drifted plan counts its executions and, now and then, checks for catch-up.
            guard let counter = cached.plan.driftedExecutions else { return (cached.plan, cached.statement) }
            if try !context.catchUpIfDue(on: connection) {
                counter.increment()
                return (cached.plan, cached.statement)
            }
            return try preparedStatement(kind, generation: context.schemaMap.generation)
        }
        return try compiledStatement(kind, slot: slot, cached: cached, generation: generation)
    }

    @usableFromInline
    func compiledStatement(_ kind: PlanKind, slot: Int?, cached: StatementCache<Connection.Statement>.PlanEntry?,
                           generation: Int) throws -> (Plan, Connection.Statement?)
    {
        if schema.reflectsFirst, context.schemaMap.state(of: schema.table) == .unknown {
            // Which name a renamed column is read and written under depends on the live table.
            try context.reflect(R.self, on: connection)
        }
        let plan = try context.plan(kind, for: R.self)
        var statement: Connection.Statement?
        if let sql = plan.sql {
            if let cached, cached.plan.sql == sql, let reusable = cached.statement {
                statement = reusable
            } else {
                statement = try connection.prepare(sql)
                context.statistics.notePrepared()
            }
        }
        connection.statementCache.store(.init(plan: plan, statement: statement), for: plan.key, slot: slot)
        plan.driftedExecutions?.increment()
        return (plan, statement)
    }

    @inlinable
    func bind(_ values: [DatabaseValue], to statement: Connection.Statement, from position: Int = 1) throws {
        var parameter = position
        for value in values {
            try statement.bind(value, at: parameter)
            parameter += 1
        }
    }

    // MARK: Reads

    @inlinable
    func find(key: DatabaseValue) throws -> R? {
        guard schema.primaryKeyIndexes.count == 1 else { throw singleKeyError() }
        return try run(.find) { plan, statement, _ in
            guard let statement else { return nil }
            defer { statement.reset() }
            try statement.bind(key, at: 1)
            return try statement.step() ? try R(row: Row(source: statement, layout: plan.layout)) : nil
        }
    }

    @usableFromInline
    func singleKeyError() -> DriftlessError {
        if schema.primaryKeyIndexes.isEmpty { return DriftlessError.noPrimaryKey(record: "\(R.self)") }
        return DriftlessError.invalidQuery(
            .keyValueCount, record: "\(R.self)",
            detail: "\(R.self) has a composite primary key: use find(key:) with every key column")
    }

    func find(key: [DatabaseValue]) throws -> R? {
        guard key.count == schema.primaryKeyIndexes.count else {
            if schema.primaryKeyIndexes.isEmpty { throw DriftlessError.noPrimaryKey(record: "\(R.self)") }
            throw DriftlessError.invalidQuery(
                .keyValueCount, record: "\(R.self)",
                detail: "\(R.self) has \(schema.primaryKeyIndexes.count) primary key column(s), got \(key.count) value(s)")
        }
        return try run(.find) { plan, statement, _ in
            guard let statement else { return nil }
            defer { statement.reset() }
            try bind(key, to: statement)
            return try statement.step() ? try R(row: Row(source: statement, layout: plan.layout)) : nil
        }
    }

    /// A cursor: rows are decoded and handed to `body` as the backend delivers them, in
    /// bounded memory. If `body` throws, `reset()` abandons the rest of the result.
    func forEach(_ query: Query<R>, _ body: (R) throws -> Void) throws {
        try run(.select(query.shape)) { plan, statement, delivered in
            guard let statement else { return }
            defer { statement.reset() }
            try bind(query.arguments, checking: query.predicate, to: statement)
            statement.streamNextExecution()
            while try statement.step() {
                let record = try R(row: Row(source: statement, layout: plan.layout))
                delivered = true
                try body(record)
            }
        }
    }

    /// The first rows of a cursor an `async` caller walks in batches (one job per batch on
    /// the connection's thread, the caller's body between them). The statement stays open
    /// in the returned position until the last batch, ``continueCursor(_:batch:)``.
    ///
    /// Drift met before the first row is recovered from like any other; from the second
    /// batch on, rows were delivered, so errors are rethrown marked
    /// ``DatabaseError/afterRowsWereDelivered``.
    func openCursor(_ query: Query<R>, batch: Int) throws -> CursorBatch<R, Connection.Statement> {
        try run(.select(query.shape)) { plan, statement, _ in
            guard let statement else { return CursorBatch(records: [], position: nil) }
            let key = PlanKey(record: ObjectIdentifier(R.self), kind: .select(query.shape))
            let position = CursorPosition(statement: statement, layout: plan.layout, key: key)
            do {
                try bind(query.arguments, to: statement)
                statement.streamNextExecution()
                return try readBatch(position, batch: batch)
            } catch {
                statement.reset()
                throw error
            }
        }
    }

    /// The next rows of a cursor ``openCursor(_:batch:)`` opened.
    func continueCursor(_ position: CursorPosition<Connection.Statement>, batch: Int) throws
        -> CursorBatch<R, Connection.Statement>
    {
        do {
            return try readBatch(position, batch: batch)
        } catch var error as DatabaseError {
            position.statement.reset()
            connection.statementCache.evict(position.key, slot: nil)
            error.afterRowsWereDelivered = true
            throw error
        } catch {
            position.statement.reset()
            throw error
        }
    }

    private func readBatch(_ position: CursorPosition<Connection.Statement>, batch: Int) throws
        -> CursorBatch<R, Connection.Statement>
    {
        let statement = position.statement
        var records: [R] = []
        records.reserveCapacity(batch)
        while records.count < batch, try statement.step() {
            records.append(try R(row: Row(source: statement, layout: position.layout)))
        }
        guard records.count == batch else {
            statement.reset()
            return CursorBatch(records: records, position: nil)
        }
        return CursorBatch(records: records, position: position)
    }

    /// Every row at once: the backend may buffer the whole result, which is faster than
    /// streaming when all rows are kept anyway.
    @inlinable
    func fetchAll(_ query: Query<R>) throws -> [R] {
        try run(.select(query.shape)) { plan, statement, _ in
            guard let statement else { return [] }
            defer { statement.reset() }
            try bind(query.arguments, checking: query.predicate, to: statement)
            var records: [R] = []
            while try statement.step() {
                records.append(try R(row: Row(source: statement, layout: plan.layout)))
            }
            return records
        }
    }

    func count(_ query: Query<R>) throws -> Int {
        try run(.count(query.predicate?.shape)) { _, statement, _ in
            guard let statement else { return 0 }
            defer { statement.reset() }
            try bind(query.predicate?.values ?? [], checking: query.predicate, to: statement)
            guard try statement.step(), case .integer(let count) = statement.value(at: 0) else { return 0 }
            return Int(count)
        }
    }

    func exists(_ query: Query<R>) throws -> Bool {
        try run(.exists(query.predicate?.shape)) { _, statement, _ in
            guard let statement else { return false }
            defer { statement.reset() }
            try bind(query.predicate?.values ?? [], checking: query.predicate, to: statement)
            return try statement.step()
        }
    }

    /// Runs the caller's SQL and maps its columns to the record by name; declared columns
    /// the result lacks read as their defaults.
    func fetchAll(sql: String, arguments: [DatabaseValue]) throws -> [R] {
        try RawSQL.check(sql)
        context.noteConnectionUse()
        let cache = connection.statementCache
        let statement = try cache.statement(sql: sql) { sql in
            context.statistics.notePrepared()
            return try connection.prepare(sql)
        }
        defer { statement.reset() }
        do {
            try RawSQL.bind(arguments, to: statement)
            var records: [R] = []
            var layout: RowLayout?
            while try statement.step() {
                let rowLayout = layout ?? RowLayout(
                    schema: schema, source: statement,
                    caseInsensitive: context.dialect.identifiersAreCaseInsensitive)
                layout = rowLayout
                records.append(try R(row: Row(source: statement, layout: rowLayout)))
            }
            return records
        } catch let error as DatabaseError {
            cache.evict(sql: sql)
            throw error
        }
    }

    // MARK: Writes

    /// Checks a write plan against the table and applies the write policy to values for
    /// columns the table lacks. Throws before anything is written.
    @inlinable
    func checkWrite(_ plan: Plan, _ statement: Connection.Statement?, record: R?, inserting: Bool)
        throws -> Connection.Statement
    {
        guard let statement, plan.missingKeyColumn == nil, !inserting || plan.unknownRequiredColumn == nil else {
            throw writeError(plan, inserting: inserting)
        }
        if let record, !plan.missingColumns.isEmpty { try applyWritePolicies(plan, to: record) }
        return statement
    }

    /// Why a write plan cannot run: the table, a key column or a column inserts need is missing.
    @usableFromInline
    func writeError(_ plan: Plan, inserting: Bool) -> DriftlessError {
        if plan.sql == nil { return DriftlessError.missingTable(schema.table) }
        if let column = plan.missingKeyColumn { return DriftlessError.missingKeyColumn(table: schema.table, column: column) }
        return DriftlessError.unknownRequiredColumn(table: schema.table, column: plan.unknownRequiredColumn ?? "")
    }

    /// The write policy of each column the table lacks, for a record's value other than the
    /// column's default: reject throws, warn and discard drop it (warn logs).
    @usableFromInline
    func applyWritePolicies(_ plan: Plan, to record: R) throws {
        for index in plan.missingColumns {
            let column = schema.columns[index]
            let value = column.encode(record)
            if value == (column.defaultValue ?? .null) { continue }
            let key = keyDescription(of: record)
            if column.writePolicy == .keep {
                throw DriftlessError.noOverflowColumn(table: schema.table, column: column.name, key: key,
                                                      overflowColumn: schema.overflowColumn, value: value)
            }
            if column.writePolicy == .reject {
                throw DriftlessError.valueRejected(table: schema.table, column: column.name, key: key, value: value)
            }
            context.monitor.droppedValue(table: schema.table, column: column.name, key: key, value: value,
                                         policy: column.writePolicy)
        }
    }

    func keyDescription(of record: R) -> String {
        if schema.primaryKeyIndexes.isEmpty { return "(no primary key)" }
        return schema.primaryKeyIndexes.map { "\(schema.columns[$0].name)=\(schema.columns[$0].encode(record))" }
            .joined(separator: ", ")
    }

    /// Binds the plan's columns of a record. A value that cannot be stored (its type's
    /// ``DatabaseValueConvertible/storageProblem``, or the backend's refusal at bind) is an
    /// ``DriftlessError/Code/unrepresentableValue`` error naming the table, column and key,
    /// thrown before the statement runs.
    @inlinable
    func bindColumns(_ plan: Plan, of record: R, to statement: Connection.Statement, from position: Int = 1)
        throws
    {
        let encoders = schema.encoders
        var parameter = position
        for index in plan.boundColumns {
            do {
                try statement.bind(encoders[index](record), at: parameter)
            } catch let error as DriftlessError where error.code == .unrepresentableValue {
                throw located(error, column: schema.columns[index].name, record: record)
            }
            parameter += 1
        }
        if !plan.extraBindings.isEmpty {
            try bindExtras(plan, of: record, to: statement, from: position + plan.boundColumns.count)
        }
    }

    /// Binds a write's previous-column and overflow values (see ``Plan/ExtraBinding``).
    @usableFromInline
    func bindExtras(_ plan: Plan, of record: R, to statement: Connection.Statement, from position: Int) throws {
        for (offset, binding) in plan.extraBindings.enumerated() {
            let index: Int
            var value: DatabaseValue
            switch binding {
            case .previous(let column, let conversion):
                index = column
                value = try encodeLocated(column, record)
                if let conversion { value = conversion.inverse(value) ?? .null }
            case .overflow(let column):
                index = column
                value = .text(OverflowCodec.encode(try encodeLocated(column, record)))
            }
            do {
                try statement.bind(value, at: position + offset)
            } catch let error as DriftlessError where error.code == .unrepresentableValue {
                throw located(error, column: schema.columns[index].name, record: record)
            }
        }
    }

    private func encodeLocated(_ index: Int, _ record: R) throws -> DatabaseValue {
        do {
            return try schema.encoders[index](record)
        } catch {
            throw located(error, column: schema.columns[index].name, record: record)
        }
    }

    /// Binds the record's primary key (after `position - 1` other parameters).
    func bindKey(of record: R, to statement: Connection.Statement, from position: Int) throws {
        for (offset, index) in schema.primaryKeyIndexes.enumerated() {
            do {
                try statement.bind(schema.encoders[index](record), at: position + offset)
            } catch let error as DriftlessError where error.code == .unrepresentableValue {
                throw located(error, column: schema.columns[index].name, record: record)
            }
        }
    }

    /// An unrepresentable-value error with the table, column and, given a record, its key.
    @usableFromInline
    func located(_ error: DriftlessError, column: String?, record: R? = nil) -> DriftlessError {
        var error = error
        error.table = schema.table
        error.column = error.column ?? column
        if let record { error.key = keyDescription(of: record) }
        return error
    }

    /// Binds a query's values, after checking that each can be stored as the column it is
    /// compared with: a filter by a value that cannot be stored would silently compare another.
    @usableFromInline
    func bind(_ values: [DatabaseValue], checking predicate: Condition<R>?, to statement: Connection.Statement)
        throws
    {
        if let problem = predicate?.problem { throw located(problem, column: nil) }
        do {
            try bind(values, to: statement)
        } catch let error as DriftlessError where error.code == .unrepresentableValue {
            throw located(error, column: nil)
        }
    }

    /// Inserts (or upserts) records. Upserts go row by row; inserts go in statements of as
    /// many rows as the backend takes (``DriverConnection/insertBatchRows``), one run per
    /// stretch of records that do, or do not, leave their key to the database.
    ///
    /// Walks the records by integer position (generic slices would cost heap allocations
    /// per row wherever this runs unspecialised).
    @inlinable
    func insert<C: RandomAccessCollection<R>>(_ records: C, upsert: Bool = false) throws where C.Index == Int {
        let all = records.startIndex..<records.endIndex
        if upsert { return try insert(records, all, rows: 1, kind: .upsert) }
        let batchRows = self.batchRows
        var start = all.lowerBound
        while start != all.upperBound {
            let assignsKey = schema.leavesKeyToDatabase(records[start])
            var end = start + 1
            while end != all.upperBound, schema.leavesKeyToDatabase(records[end]) == assignsKey { end += 1 }
            // Whole chunks of the largest size first, then the rest in halving sizes: at most
            // one statement per power of two below the batch size, each a cached plan.
            if let threshold = connection.copyThreshold, end - start >= threshold,
               try copy(records, start..<end, assignsKey: assignsKey)
            {
                start = end
                continue
            }
            var rows = batchRows
            while start != end {
                while rows > end - start { rows /= 2 }
                let stop = start + (end - start) / rows * rows
                try insert(records, start..<stop, rows: rows, kind: .insert(rows: rows, assignsKey: assignsKey))
                start = stop
            }
        }
    }

    /// Inserts the records in `range` through the backend's bulk path, with the columns of the
    /// single-row INSERT plan (so drift, write policies and unknown required columns are
    /// handled as for INSERT: a missing column fails the COPY, and the retry sends the
    /// projected plan's columns). False when the backend declines.
    @inlinable
    func copy<C: RandomAccessCollection<R>>(_ records: C, _ range: Range<Int>, assignsKey: Bool) throws -> Bool
        where C.Index == Int
    {
        try run(.insert(rows: 1, assignsKey: assignsKey)) { plan, statement, written in
            // Renames and overflow values bind beyond the declared columns: multi-row INSERTs.
            guard plan.bindsOnlyDeclaredColumns else { return false }
            for position in range {
                _ = try checkWrite(plan, statement, record: records[position], inserting: true)
            }
            let encoders = schema.encoders
            var current = range.lowerBound
            do {
                let copied = try connection.copyRows(
                    into: schema.table, columns: plan.boundColumns.map { schema.columns[$0].name }, rows: range.count
                ) { row, values in
                    current = range.lowerBound + row
                    let record = records[current]
                    values.removeAll(keepingCapacity: true)
                    for index in plan.boundColumns {
                        do {
                            values.append(try encoders[index](record))
                        } catch let error as DriftlessError where error.code == .unrepresentableValue {
                            throw located(error, column: schema.columns[index].name, record: record)
                        }
                    }
                }
                written = copied
                return copied
            } catch let error as DriftlessError where error.code == .unrepresentableValue && error.key == nil {
                throw located(error, column: nil, record: records[current])
            }
        }
    }

    /// The rows per INSERT statement: the backend's batch size, within its parameter limit,
    /// rounded down to a power of two.
    @usableFromInline
    var batchRows: Int {
        let limit = min(connection.insertBatchRows, connection.maximumParameterCount / max(1, schema.columns.count))
        var rows = 1
        while rows * 2 <= limit { rows *= 2 }
        return rows
    }

    /// Runs `kind`, a plan inserting `rows` records per execution, over the records in `range`
    /// (a multiple of `rows` long). Every record of a chunk passes its write policy before the
    /// chunk runs.
    @inlinable
    func insert<C: RandomAccessCollection<R>>(
        _ records: C, _ range: Range<Int>, rows: Int, kind: PlanKind
    ) throws where C.Index == Int {
        try run(kind) { plan, statement, written in
            var index = range.lowerBound
            while index != range.upperBound {
                let next = index + rows
                var checked: Connection.Statement?
                for position in index..<next {
                    checked = try checkWrite(plan, statement, record: records[position], inserting: true)
                }
                guard let statement = checked else { return }
                defer { statement.reset() }
                var parameter = 1
                for position in index..<next {
                    try bindColumns(plan, of: records[position], to: statement, from: parameter)
                    parameter += plan.parametersPerRow
                }
                _ = try statement.step()
                written = true
                index = next
            }
        }
    }

    /// Inserts a record and reads it back as stored (database-assigned keys and defaults).
    func insertAndFetch(_ record: R) throws -> R {
        try run(.insertReturning(assignsKey: schema.leavesKeyToDatabase(record))) { plan, statement, _ in
            let statement = try checkWrite(plan, statement, record: record, inserting: true)
            defer { statement.reset() }
            try bindColumns(plan, of: record, to: statement)
            guard try statement.step() else { throw DriftlessError.missingTable(schema.table) }
            let stored = try R(row: Row(source: statement, layout: plan.layout))
            while try statement.step() {}
            return stored
        }
    }

    func update(_ record: R) throws {
        try run(.update) { plan, statement, _ in
            let statement = try checkWrite(plan, statement, record: record, inserting: false)
            defer { statement.reset() }
            try bindColumns(plan, of: record, to: statement)
            try bindKey(of: record, to: statement, from: plan.parametersPerRow + 1)
            _ = try statement.step()
            if statement.changedRowCount == 0 {
                throw DriftlessError.recordNotFound(table: schema.table, key: keyDescription(of: record))
            }
        }
    }

    func delete(key: [DatabaseValue]) throws -> Bool {
        guard key.count == schema.primaryKeyIndexes.count, !key.isEmpty else {
            if schema.primaryKeyIndexes.isEmpty { throw DriftlessError.noPrimaryKey(record: "\(R.self)") }
            throw DriftlessError.invalidQuery(
                .keyValueCount, record: "\(R.self)",
                detail: "\(R.self) has \(schema.primaryKeyIndexes.count) primary key column(s), got \(key.count) value(s)")
        }
        return try run(.delete) { plan, statement, _ in
            guard plan.mode != .tableMissing else { return false }
            let statement = try checkWrite(plan, statement, record: nil, inserting: false)
            defer { statement.reset() }
            try bind(key, to: statement)
            _ = try statement.step()
            return statement.changedRowCount > 0
        }
    }

    func deleteAll(_ query: Query<R>) throws -> Int {
        try run(.deleteAll(query.predicate?.shape)) { _, statement, _ in
            guard let statement else { return 0 }
            defer { statement.reset() }
            try bind(query.predicate?.values ?? [], checking: query.predicate, to: statement)
            _ = try statement.step()
            return statement.changedRowCount
        }
    }

    /// The mode of the record's read plan, compiling it if needed.
    func planMode() throws -> PlanMode {
        try run(.select(Query<R>().shape)) { plan, _, _ in plan.mode }
    }
}

/// Where an `async` cursor stands between two batches: its open statement, only touched by
/// jobs on the connection's thread.
final class CursorPosition<Statement: DriverStatement>: @unchecked Sendable {
    let statement: Statement
    let layout: RowLayout
    let key: PlanKey

    init(statement: Statement, layout: RowLayout, key: PlanKey) {
        self.statement = statement
        self.layout = layout
        self.key = key
    }
}

/// One batch of an `async` cursor, and where to go on from (nil after the last row).
struct CursorBatch<R: Record, Statement: DriverStatement>: Sendable {
    let records: [R]
    let position: CursorPosition<Statement>?
}
