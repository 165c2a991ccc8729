import Driftless
import DriftlessMigrations
import DriftlessPostgres

/// PostgreSQL's migrations: transactional DDL, `ALTER COLUMN` in place (with a `USING`
/// conversion where there is no direct cast), `CONCURRENTLY` index builds, `lock_timeout`,
/// and the lint rules that come with them; SQL text with dollar quotes, `E''` strings,
/// nested block comments, comments that end at a carriage return, and unquoted names folded
/// to lower case.
extension PostgresDialect: MigrationDialect {
    public var syntax: SQLSyntax {
        SQLSyntax(blockCommentsNest: true, lineCommentsEndAtCarriageReturn: true, bracketAndBacktickIdentifiers: false,
                  namedParameters: false, dollarQuoting: true, escapeStrings: true, foldsUnquotedNamesToLowercase: true)
    }

    // MARK: Rendering

    /// Without the live column's type, a type change converts with a plain cast
    /// (``apply(_:on:transactional:)`` reads the type first and picks a conversion).
    public func alterColumnStatements(_ column: String, in table: TableName, _ alteration: ColumnAlteration) throws(MigrationError) -> [String] {
        PostgresColumnAlteration(table: table, column: column, alteration: alteration, currentType: nil).sql.map { [$0] } ?? []
    }

    /// `CONCURRENTLY` when asked: the index builds without blocking writes.
    public func createIndexStatements(_ index: IndexDefinition) throws(MigrationError) -> [String] {
        [createIndexSQL(index, options: index.concurrently ? "CONCURRENTLY" : "")]
    }

    public func dropIndexStatements(_ name: String, table: TableName?, concurrently: Bool, ifExists: Bool) throws(MigrationError) -> [String] {
        [dropIndexSQL(name, table: table, options: concurrently ? "CONCURRENTLY" : "", ifExists: ifExists)]
    }

    /// The value as PostgreSQL's text input, as an untyped quoted literal (`'42'`): the
    /// online run sends every value as a text-format parameter of unspecified type, which the
    /// server types from context, and an untyped literal is typed exactly the same way (a
    /// numeric literal `42` would not be: `text_column = 42` is an error).
    public func offlineLiteral(_ value: DatabaseValue) -> String {
        let text: String
        switch value {
        case .null: return "NULL"
        case .integer(let integer): text = String(integer)
        case .real(let real) where real.isNaN: text = "NaN"
        case .real(let real) where real.isInfinite: text = real > 0 ? "Infinity" : "-Infinity"
        case .real(let real): text = String(real)
        case .text(let string): text = string
        case .blob(let bytes): text = "\\x" + PostgresDialect.hex(bytes)
        }
        return standardLiteral(.text(text))
    }

    public func lockTimeoutStatement(milliseconds: Int64) -> String? {
        "SET lock_timeout = " + standardLiteral(.text("\(milliseconds)ms"))
    }

    public func statementTimeoutStatement(milliseconds: Int64) -> String? {
        "SET statement_timeout = " + standardLiteral(.text("\(milliseconds)ms"))
    }

    // MARK: Applying

    /// A type change reads the column's current type first, to convert with a `USING`
    /// expression PostgreSQL accepts (`bigint` to `boolean`, integers to `timestamptz`).
    public func apply(_ operation: SchemaOperation, on connection: some MigrationConnection, transactional: Bool) throws {
        guard case .alterColumn(let table, let column, let alteration) = operation, alteration.type != nil else {
            return try applyByRendering(operation, on: connection, transactional: transactional)
        }
        // Offline (no database to reflect), the type converts with a plain cast.
        let current: String?
        do {
            current = try connection.reflectTable(table)?.column(named: column, caseInsensitive: false)?.declaredType
        } catch let error as MigrationError where error.code == .offlineUnsupported {
            current = nil
        }
        if let sql = PostgresColumnAlteration(table: table, column: column, alteration: alteration, currentType: current).sql {
            try connection.execute(sql, arguments: [])
        }
    }

    // MARK: The live schema

    /// Ordinary and partitioned tables of the schema (`current_schema()` when nil), not
    /// partitions.
    public func tables(inSchema schema: String?, on connection: some MigrationConnection) throws -> [TableName] {
        let rows = try connection.query("""
            SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = COALESCE($1, current_schema()) AND c.relkind IN ('r', 'p') AND NOT c.relispartition
            ORDER BY c.relname
            """, arguments: [schema.map(DatabaseValue.text) ?? .null])
        return rows.compactMap { $0.first?.pragmaText }.map { TableName($0, schema: schema) }
    }

    /// Including the `*_pkey` and constraint indexes, of the table `to_regclass` resolves
    /// the name to (as queries do, through `search_path` for an unqualified name).
    public func indexNames(on table: TableName, connection: some MigrationConnection) throws -> [String] {
        try connection.query("""
            SELECT c.relname FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
            WHERE i.indrelid = to_regclass($1) ORDER BY c.relname
            """, arguments: [.text(quote(table))]).compactMap { $0.first?.pragmaText }
    }

    /// Each index's key columns in order (an expression's is nil), of the table
    /// `to_regclass` resolves the name to.
    public func liveIndexes(on table: TableName, connection: some MigrationConnection) throws -> [LiveIndex] {
        let rows = try connection.query("""
            SELECT c.relname, i.indisunique, a.attname
            FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
            CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, position)
            LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum AND k.attnum <> 0
            WHERE i.indrelid = to_regclass($1) AND k.position <= i.indnkeyatts
            ORDER BY c.relname, k.position
            """, arguments: [.text(quote(table))])
        var indexes: [LiveIndex] = []
        for row in rows where row.count == 3 {
            guard let name = row[0].pragmaText else { continue }
            let unique = row[1] == .integer(1) || row[1] == .text("t") || row[1] == .text("true")
            if indexes.last?.name != name { indexes.append(LiveIndex(name: name, columns: [], isUnique: unique)) }
            indexes[indexes.count - 1].columns.append(row[2].pragmaText)
        }
        return indexes
    }

    public func columnType(ofLive liveType: String) -> ColumnType? {
        PostgresTypeFamily.columnType(of: liveType)
    }

    /// By type family: `integer` holds a record's `integer`, `character varying(80)` its `text`.
    public func liveType(_ liveType: String, holds declared: ColumnType) -> Bool {
        guard let live = PostgresTypeFamily.columnType(of: liveType) else {
            // json, enums, domains...: only text reads them losslessly.
            return declared == .text
        }
        switch declared {
        case .text: return live == .text || live == .uuid
        case .real: return live == .real || live == .integer
        default: return live == declared
        }
    }

    // MARK: Lint

    /// Index builds that block writes, `CONCURRENTLY` inside a transaction, constraints and
    /// defaults that scan or rewrite under a lock, schema changes without lock and statement
    /// timeouts, and the types and names PostgreSQL users regret.
    public func makeLintChecks() -> [any LintCheck] {
        [ConcurrentIndexCheck(), PostgresLockingCheck(), PostgresTypeCheck(), LockTimeoutCheck(), StatementTimeoutCheck()]
    }

    public var lintRules: Set<LintRule> {
        LintRule.sharedRules.union([
            .dropSchema, .dropType, .dropDatabase, .nonConcurrentIndex, .nonConcurrentDropIndex, .nonConcurrentReindex,
            .concurrentIndexInTransaction, .addUniqueConstraint, .addForeignKey, .addCheckConstraint, .setNotNull,
            .volatileDefault, .missingLockTimeout, .missingStatementTimeout, .preferJSONB, .preferIdentity,
            .preferBigintPrimaryKey, .preferTimestamptz, .preferText, .identifierTooLong,
        ])
    }
}
