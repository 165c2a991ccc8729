import Driftless

/// The checksum of what a migration's upgrade runs on one database, recorded when it is
/// applied so that a later change to an applied migration is noticed (as Flyway's
/// `validate`, Liquibase's MD5 sums and Atlas's `atlas.sum`).
///
/// What counts is what the database would run, not how the file is laid out:
///
/// - SQL (a file's section, `.script`, `.execute`) by its tokens in the dialect's syntax:
///   comments, whitespace and line ends do not count, nor the case of unquoted keywords and
///   names (both databases ignore it); literals, quoted names and everything else do.
/// - Builder operations by the statements the dialect renders for them (`createTable`,
///   `addColumn`...), or, for what renders only against the live table (a SQLite table
///   rebuild), by every field of the operation.
/// - `.execute` values by their exact value (not a literal spelling), `.custom` Swift code
///   by its name only: the lint and the checksum cannot see inside a closure.
///
/// The downgrade does not count: editing how a migration is reverted changes nothing that
/// was applied. The value is `sha256:` and 64 hex digits.
public enum MigrationChecksum {
    /// The version of the normalization, hashed with the content: a later release that
    /// normalizes differently changes it, and says so, rather than mismatching silently.
    static let format = "driftless-checksum-1"

    /// The checksum of `migration`'s upgrade on `dialect`'s database.
    public static func of(_ migration: Migration, dialect: any MigrationDialect) -> String {
        var content = format + "\n"
        let tokenizer = SQLTokenizer(syntax: dialect.syntax)
        for operation in migration.upgrade {
            content += canonical(operation, dialect: dialect, tokenizer: tokenizer) + "\n"
        }
        return "sha256:" + SHA256.hex(of: Array(content.utf8))
    }

    /// SQL text by its tokens: words (keywords, unquoted names) with ASCII letters in upper
    /// case, every other token as written, one space apart, statements ended by `;`.
    static func normalized(_ sql: String, tokenizer: SQLTokenizer) -> String {
        let bytes = Array(sql.utf8)
        return tokenizer.statements(sql).map { statement in
            statement.map { token in
                let text = SQLTokenizer.source(of: [token], in: bytes)
                guard token.kind == .word else { return text }
                return String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
                    scalar.value >= 0x61 && scalar.value <= 0x7A ? Unicode.Scalar(scalar.value - 0x20)! : scalar
                }))
            }.joined(separator: " ") + ";"
        }.joined(separator: "\n")
    }

    private static func canonical(_ operation: SchemaOperation, dialect: any MigrationDialect, tokenizer: SQLTokenizer) -> String {
        switch operation {
        case .script(let sql):
            return "script\n" + normalized(sql, tokenizer: tokenizer)
        case .execute(let sql, let arguments):
            return "execute\n" + normalized(sql, tokenizer: tokenizer) + "\n" + arguments.map(value).joined(separator: "\n")
        case .custom(let name, _):
            return "custom " + name
        default:
            if let statements = try? operation.sql(for: dialect) {
                return "sql\n" + statements.map { normalized($0, tokenizer: tokenizer) }.joined(separator: "\n")
            }
            return "operation\n" + fields(of: operation)
        }
    }

    /// Every field of a builder operation, for those the dialect renders only against the
    /// live table.
    private static func fields(of operation: SchemaOperation) -> String {
        func table(_ name: TableName?) -> String { name.map { "\(text($0.schema ?? "")).\(text($0.name))" } ?? "-" }
        func column(_ column: TableColumn) -> String {
            [text(column.name), column.type.rawValue, "\(column.isNullable)", column.defaultValue.map(value) ?? "-",
             "\(column.isPrimaryKey)", "\(column.isUnique)"].joined(separator: " ")
        }
        switch operation {
        case .createTable(let definition):
            return "createTable \(table(definition.name)) [\(definition.columns.map(column).joined(separator: ", "))] "
                + "key(\(definition.primaryKey.map(text).joined(separator: ","))) \(definition.ifNotExists)"
        case .dropTable(let name, let ifExists):
            return "dropTable \(table(name)) \(ifExists)"
        case .renameTable(let name, let newName):
            return "renameTable \(table(name)) \(text(newName))"
        case .addColumn(let name, let added, let ifNotExists):
            return "addColumn \(table(name)) \(column(added)) \(ifNotExists)"
        case .dropColumn(let name, let dropped):
            return "dropColumn \(table(name)) \(text(dropped))"
        case .renameColumn(let name, let old, let new):
            return "renameColumn \(table(name)) \(text(old)) \(text(new))"
        case .alterColumn(let name, let altered, let alteration):
            let defaultChange = switch alteration.defaultChange {
            case .set(let newValue)?: "set " + value(newValue)
            case .drop?: "drop"
            case nil: "-"
            }
            return "alterColumn \(table(name)) \(text(altered)) type=\(alteration.type?.rawValue ?? "-") "
                + "nullable=\(alteration.isNullable.map { "\($0)" } ?? "-") default=\(defaultChange)"
        case .createIndex(let index):
            return "createIndex \(text(index.name)) \(table(index.table)) (\(index.columns.map(text).joined(separator: ","))) "
                + "\(index.isUnique) \(index.concurrently) \(index.ifNotExists)"
        case .dropIndex(let name, let tableName, let concurrently, let ifExists):
            return "dropIndex \(text(name)) \(table(tableName)) \(concurrently) \(ifExists)"
        case .execute, .script, .custom:
            return "\(operation)"
        }
    }

    /// A name with its length, so that no name can run into the next field.
    private static func text(_ name: String) -> String { "\(name.utf8.count):\(name)" }

    /// A value exactly: its storage class and its bits or bytes.
    private static func value(_ value: DatabaseValue) -> String {
        switch value {
        case .null: "null"
        case .integer(let integer): "integer \(integer)"
        case .real(let real): "real \(String(real.bitPattern, radix: 16))"
        case .text(let string): "text " + text(string)
        case .blob(let bytes): "blob " + bytes.map { String($0, radix: 16) }.joined(separator: ",")
        }
    }
}
