// TEMPORARY: minimal stand-ins for what branch mig-ops provides (Operations/ and Lint/).
// Delete this file when merging mig-ops.
import Driftless

extension SchemaOperation {
    /// Stand-in: runs raw SQL, scripts and custom code only.
    public func apply(on connection: some MigrationConnection) throws {
        switch self {
        case .execute(let sql, let arguments): try connection.execute(sql, arguments: arguments)
        case .script(let sql): try connection.executeScript(sql)
        case .custom(_, let run): try run(connection)
        default: throw MigrationError.unsupportedOperation("\(self) (stand-in until mig-ops lands)")
        }
    }
}

/// Stand-in for mig-ops' linter finding.
public struct LintFinding: Sendable {
    public var rule: LintRule
    public var revision: String
    public var message: String
    public var safeAlternative: String
    public var isAcknowledged: Bool
}

/// Stand-in for mig-ops' linter: finds nothing.
public struct MigrationLinter {
    public init(records: [any Record.Type] = [], dialect: SQLDialect) {}
    public func lint(_ migration: Migration) -> [LintFinding] { [] }
}

/// Stand-in for mig-ops' schema diff: missing tables and columns only.
public struct SchemaDiff {
    public var findings: [String] = []
    public var operations: [SchemaOperation] = []
    public var isEmpty: Bool { findings.isEmpty }

    public static func compare(records: [any Record.Type], on connection: some MigrationConnection) throws -> SchemaDiff {
        var diff = SchemaDiff()
        for record in records { try diff.add(record, connection) }
        return diff
    }

    private mutating func add<R: Record>(_ record: R.Type, _ connection: some MigrationConnection) throws {
        let schema = R.schema
        let columns = schema.columns.map {
            TableColumn($0.name, $0.type, nullable: $0.isNullable, default: $0.isPrimaryKey ? nil : $0.defaultValue,
                        primaryKey: $0.isPrimaryKey)
        }
        guard let live = try connection.reflectTable(schema.table) else {
            findings.append("table \(schema.table) is missing (record \(R.self))")
            operations.append(.createTable(TableDefinition(schema.table, columns: columns)))
            return
        }
        for column in columns where live.column(named: column.name, caseInsensitive: connection.dialect.identifiersAreCaseInsensitive) == nil {
            findings.append("column \(schema.table).\(column.name) is missing (record \(R.self))")
            operations.append(.addColumn(schema.table, column, ifNotExists: false))
        }
    }
}
