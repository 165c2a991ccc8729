import Driftless
import DriftlessMigrations
import DriftlessPostgres

/// A column change as PostgreSQL's `ALTER COLUMN` actions, in one statement (one lock, one
/// table rewrite at most): `TYPE ... USING`, `SET/DROP NOT NULL`, `SET/DROP DEFAULT`.
struct PostgresColumnAlteration {
    let table: TableName
    let column: String
    let alteration: ColumnAlteration
    /// The column's type as `format_type` spells it, when known: it picks a `USING`
    /// expression for conversions PostgreSQL has no direct cast for.
    let currentType: String?

    private var dialect: PostgresDialect { .postgres }

    /// The statement; nil when the alteration changes nothing.
    var sql: String? {
        let name = dialect.quote(column)
        var actions: [String] = []
        if let type = alteration.type {
            actions.append("ALTER COLUMN \(name) TYPE \(dialect.typeName(type)) USING " + conversion(of: name, to: type))
        }
        if let nullable = alteration.isNullable {
            actions.append("ALTER COLUMN \(name) " + (nullable ? "DROP NOT NULL" : "SET NOT NULL"))
        }
        switch alteration.defaultChange {
        case .set(let value)?:
            let type = alteration.type ?? currentType.flatMap(PostgresTypeFamily.columnType) ?? value.naturalColumnType
            actions.append("ALTER COLUMN \(name) SET DEFAULT " + (value.isNull ? "NULL" : dialect.literal(value, type)))
        case .drop?:
            actions.append("ALTER COLUMN \(name) DROP DEFAULT")
        case nil:
            break
        }
        guard !actions.isEmpty else { return nil }
        return "ALTER TABLE " + dialect.quote(table) + " " + actions.joined(separator: ", ")
    }

    /// The `USING` expression converting the (quoted) column to `type`.
    private func conversion(of column: String, to type: ColumnType) -> String {
        let current = currentType?.lowercased() ?? ""
        let isInteger = ["bigint", "integer", "smallint"].contains(current)
        switch type {
        case .boolean where isInteger:
            return "(\(column) <> 0)"
        case .integer where current == "boolean":
            return "\(column)::integer::bigint"
        case .timestamp where isInteger || current == "double precision" || current == "real" || current == "numeric":
            return "to_timestamp(\(column))"
        case .integer where current.hasPrefix("timestamp"):
            return "extract(epoch FROM \(column))::bigint"
        default:
            return "\(column)::\(dialect.typeName(type))"
        }
    }
}
