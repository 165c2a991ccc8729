import Driftless

/// One schema change as the lint sees it, whether a Swift migration recorded it as a
/// ``SchemaOperation`` or a SQL file wrote it as a statement: the rules are written once,
/// against this, by the engine (``LintContext``) and by a dialect's own ``LintCheck``s.
public struct LintedChange: Sendable {
    public enum Kind: Sendable {
        case createTable(TableName)
        case dropTable(TableName)
        case renameTable(TableName, to: String)
        /// `isRequired`: NOT NULL (or a primary key) with no default to fill existing rows.
        case addColumn(TableName, column: String, isRequired: Bool)
        case dropColumn(TableName, column: String)
        case renameColumn(TableName, from: String, to: String)
        /// Any ALTER COLUMN; `changesType` when it changes the type.
        case alterColumn(TableName, column: String, changesType: Bool)
        /// `ALTER COLUMN ... SET NOT NULL` (also reported as an ``alterColumn(_:column:changesType:)``).
        case setNotNull(TableName, column: String)
        /// `ADD CONSTRAINT` (or a constraint added with a column).
        case addConstraint(TableName, LintedConstraint)
        /// `VALIDATE CONSTRAINT`: a scan that does not block reads or writes.
        case validateConstraint(TableName)
        case createIndex(table: TableName, concurrently: Bool)
        case dropIndex(concurrently: Bool)
        case reindex(concurrently: Bool)
        /// `SET lock_timeout`; `isEffective` is false for `0`, `DEFAULT` and `RESET`.
        case setLockTimeout(isEffective: Bool)
        /// `SET statement_timeout`; `isEffective` as for the lock timeout.
        case setStatementTimeout(isEffective: Bool)
        /// `BEGIN`, `START TRANSACTION`, `COMMIT`, `END`, `ROLLBACK`, `ABORT` (not savepoints).
        case transactionControl(String)
        /// An `UPDATE` or `DELETE`; `isBounded` when it has a batch bound (a LIMIT, BETWEEN, or
        /// a comparison in its WHERE clause).
        case backfill(TableName?, isBounded: Bool)
        /// `TRUNCATE`, with whether it cascades.
        case truncate([TableName], cascade: Bool)
        case dropSchema(String)
        case dropType(String)
        case dropDatabase(String)
        /// Another statement that takes a strong lock on a table (LOCK, other
        /// ALTER TABLE actions, CREATE TRIGGER...); nil when the table is unknown.
        case otherLocking(TableName?)
        /// `CASCADE` on a drop: whatever depends on the object goes too.
        case cascade
        /// A statement or operation whose effect the lint cannot read.
        case unverifiable
        /// Statements that change no schema (INSERT, SELECT).
        case data
    }

    public var kind: Kind
    /// The operation or statement, shortened, for messages.
    public var summary: String
    /// The columns the change defines (created with a table, added, or given a new type),
    /// for the rules about types, keys and defaults.
    public var columns: [LintedColumn] = []
    /// Every name the statement spells (tables, columns, indexes, constraints), as the
    /// database will store it, for the rule on names PostgreSQL would cut.
    public var names: [String] = []
    /// The builder operation the change comes from; nil for SQL text.
    public var operation: SchemaOperation?

    public init(kind: Kind, summary: String, columns: [LintedColumn] = [], names: [String] = [], operation: SchemaOperation? = nil) {
        self.kind = kind
        self.summary = summary
        self.columns = columns
        self.names = names
        self.operation = operation
    }
}

/// A column as a statement defines it, for the lint.
public struct LintedColumn: Sendable, Hashable {
    public var name: String
    /// The type as written, upper-cased words, one space apart (`CHARACTER VARYING (80)`,
    /// `TIMESTAMP`), or as the dialect renders a builder column's type.
    public var type: String
    public var isPrimaryKey: Bool
    /// The default's expression as written (upper-cased words), nil for none.
    public var defaultExpression: String?
    /// Whether the column is filled by an identity (`GENERATED ... AS IDENTITY`).
    public var isIdentity: Bool

    public init(name: String, type: String, isPrimaryKey: Bool = false, defaultExpression: String? = nil, isIdentity: Bool = false) {
        self.name = name
        self.type = type
        self.isPrimaryKey = isPrimaryKey
        self.defaultExpression = defaultExpression
        self.isIdentity = isIdentity
    }
}

/// A constraint an `ADD CONSTRAINT` (or a column definition) adds.
public struct LintedConstraint: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case primaryKey, unique, foreignKey, check, exclusion, other
    }

    public var kind: Kind
    /// `NOT VALID`: existing rows are not checked now.
    public var isNotValid: Bool
    /// `... USING INDEX name`: the index exists already (built concurrently).
    public var usesExistingIndex: Bool

    public init(kind: Kind, isNotValid: Bool = false, usesExistingIndex: Bool = false) {
        self.kind = kind
        self.isNotValid = isNotValid
        self.usesExistingIndex = usesExistingIndex
    }
}

extension LintedChange {
    /// The changes a recorded operation makes. `.execute` and `.script` are read with
    /// ``SQLStatementClassifier``; `.custom` code is unverifiable, except what
    /// ``MigrationBuilder/lockTimeout(_:)`` and ``MigrationBuilder/statementTimeout(_:)`` record.
    static func changes(of operation: SchemaOperation, dialect: any MigrationDialect) -> [LintedChange] {
        let summary = operation.description
        func change(_ kinds: Kind..., columns: [LintedColumn] = [], names: [String] = []) -> [LintedChange] {
            kinds.map { LintedChange(kind: $0, summary: summary, columns: columns, names: names, operation: operation) }
        }
        func column(_ column: TableColumn, key: Bool = false) -> LintedColumn {
            LintedColumn(name: column.name, type: dialect.typeName(column.type).uppercased(), isPrimaryKey: column.isPrimaryKey || key,
                         defaultExpression: column.defaultValue.flatMap { $0.isNull ? nil : dialect.literal($0, column.type) })
        }
        switch operation {
        case .createTable(let table):
            let key = Set(table.primaryKey)
            return change(.createTable(table.name), columns: table.columns.map { column($0, key: key.contains($0.name)) },
                          names: [table.name.name] + table.columns.map(\.name))
        case .dropTable(let table, _):
            return change(.dropTable(table))
        case .renameTable(let table, let newName):
            return change(.renameTable(table, to: newName), names: [newName])
        case .addColumn(let table, let added, _):
            let required = (!added.isNullable || added.isPrimaryKey) && (added.defaultValue ?? .null).isNull
            return change(.addColumn(table, column: added.name, isRequired: required), columns: [column(added)], names: [added.name])
        case .dropColumn(let table, let column):
            return change(.dropColumn(table, column: column))
        case .renameColumn(let table, let old, let new):
            return change(.renameColumn(table, from: old, to: new), names: [new])
        case .alterColumn(let table, let name, let alteration):
            let altered = alteration.type.map { [LintedColumn(name: name, type: dialect.typeName($0).uppercased())] } ?? []
            if alteration.isNullable == false {
                return change(.alterColumn(table, column: name, changesType: alteration.type != nil), .setNotNull(table, column: name),
                              columns: altered)
            }
            return change(.alterColumn(table, column: name, changesType: alteration.type != nil), columns: altered)
        case .createIndex(let index):
            return change(.createIndex(table: index.table, concurrently: index.concurrently), names: [index.name])
        case .dropIndex(_, _, let concurrently, _):
            return change(.dropIndex(concurrently: concurrently))
        case .execute(let sql, _), .script(let sql):
            return SQLStatementClassifier(syntax: dialect.syntax).changes(in: sql)
        case .custom(let name, _):
            if name.hasPrefix(MigrationBuilder.lockTimeoutOperationPrefix) {
                return change(.setLockTimeout(isEffective: true))
            }
            if name.hasPrefix(MigrationBuilder.statementTimeoutOperationPrefix) {
                return change(.setStatementTimeout(isEffective: true))
            }
            return change(.unverifiable)
        }
    }
}
