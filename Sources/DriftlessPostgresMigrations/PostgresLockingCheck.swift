import DriftlessMigrations

/// PostgreSQL changes that scan or rewrite an existing table under a strong lock, or remove
/// more than they name: a UNIQUE or PRIMARY KEY constraint built in place, a FOREIGN KEY or
/// CHECK without `NOT VALID`, `SET NOT NULL`, a column added with a volatile default, and
/// dropping a schema, a type or a database.
struct PostgresLockingCheck: LintCheck {
    /// Default expressions PostgreSQL must evaluate per row, so adding the column rewrites
    /// the table (constant and stable defaults such as `now()` do not).
    static let volatileFunctions = ["RANDOM", "CLOCK_TIMESTAMP", "GEN_RANDOM_UUID", "UUID_GENERATE", "NEXTVAL", "TIMEOFDAY",
                                    "STATEMENT_TIMESTAMP"]
    static let serialTypes: Set = ["SERIAL", "BIGSERIAL", "SMALLSERIAL", "SERIAL2", "SERIAL4", "SERIAL8"]

    mutating func inspect(_ change: LintedChange, in context: inout LintContext) {
        let summary = "`\(change.summary)`"
        switch change.kind {
        case .addConstraint(let table, let constraint) where !context.isNew(table):
            switch constraint.kind {
            case .unique, .primaryKey, .exclusion:
                guard !constraint.usesExistingIndex else { break }
                context.report(.addUniqueConstraint, "\(summary) builds the constraint's index on \(SchemaOperation.quoted(table)) under its lock.")
            case .foreignKey where !constraint.isNotValid:
                context.report(.addForeignKey, "\(summary) adds a foreign key to \(SchemaOperation.quoted(table)) without NOT VALID.")
            case .check where !constraint.isNotValid:
                context.report(.addCheckConstraint, "\(summary) adds a CHECK to \(SchemaOperation.quoted(table)) without NOT VALID.")
            default:
                break
            }
        case .setNotNull(let table, let column) where !context.isNew(table):
            context.report(.setNotNull, "\(summary) sets NOT NULL on \(SchemaOperation.quoted(table, column)), an existing column.")
        case .addColumn(let table, let column, _) where !context.isNew(table):
            for defined in change.columns where defined.name == column || change.columns.count == 1 {
                let expression = defined.defaultExpression ?? ""
                let volatile = Self.volatileFunctions.contains { expression.contains($0) }
                    || Self.serialTypes.contains(defined.type)
                if volatile {
                    context.report(.volatileDefault, "\(summary) adds \(SchemaOperation.quoted(table, column)) with a volatile default.")
                }
            }
        case .dropSchema(let name):
            context.report(.dropSchema, "\(summary) drops the schema \(name).")
        case .dropType(let name):
            context.report(.dropType, "\(summary) drops the type \(name).")
        case .dropDatabase(let name):
            context.report(.dropDatabase, "\(summary) drops the database \(name).")
        default:
            break
        }
    }
}

/// The column types and names PostgreSQL users regret: `json`, `serial`, 32-bit keys,
/// `timestamp` without time zone, `char(n)` / `varchar(n)`, and names over the 63 bytes
/// PostgreSQL keeps. Columns of new tables count too: that is where a type is chosen.
struct PostgresTypeCheck: LintCheck {
    static let intTypes: Set = ["INT", "INTEGER", "INT4", "SMALLINT", "INT2", "SERIAL", "SERIAL4", "SMALLSERIAL", "SERIAL2"]

    mutating func inspect(_ change: LintedChange, in context: inout LintContext) {
        let summary = "`\(change.summary)`"
        for column in change.columns {
            let type = column.type
            let name = column.name
            if type == "JSON" {
                context.report(.preferJSONB, "\(summary) declares \(name) as json.")
            }
            if PostgresLockingCheck.serialTypes.contains(type) {
                context.report(.preferIdentity, "\(summary) declares \(name) as \(type.lowercased()).")
            }
            if column.isPrimaryKey && Self.intTypes.contains(type) {
                context.report(.preferBigintPrimaryKey, "\(summary) declares the key \(name) as \(type.lowercased()).")
            }
            if type == "TIMESTAMP" || type.hasPrefix("TIMESTAMP (") || type.contains("WITHOUT TIME ZONE") {
                context.report(.preferTimestamptz, "\(summary) declares \(name) as timestamp without time zone.")
            }
            if ["CHAR", "CHARACTER", "VARCHAR", "NCHAR", "BPCHAR"].contains(where: { type == $0 || type.hasPrefix($0 + " (") })
                || type.hasPrefix("CHARACTER VARYING (") {
                context.report(.preferText, "\(summary) declares \(name) as \(type.lowercased()).")
            }
        }
        if let long = change.names.first(where: { $0.utf8.count > 63 }) {
            context.report(.identifierTooLong, "\(summary) names \(long.prefix(20))... (\(long.utf8.count) bytes).")
        }
    }
}
