import Driftless
import DriftlessMigrations
import DriftlessPostgres
import DriftlessSQLite
import Foundation
import Testing

/// Names and values from the whole Unicode range (``HostileText``), through every path that
/// renders them into SQL, on each backend:
///
/// - the repository: a table created from the record's declaration (`TableCreator`), a
///   value inserted, found, filtered by and updated, and a declared column the table lacks
///   read as its default through the projected plan's literal;
/// - the migrations API online: `createTable` with a default, `execute` with a bound value,
///   `addColumn` with a default, `renameTable`;
/// - the same migrations as an offline script run through `sqlite3 -bail` or
///   `psql -v ON_ERROR_STOP=1` on a fresh database.
///
/// Each case gets the exact names and values back (compared scalar by scalar), or the typed
/// error the backend's rules call for (a name with NUL or longer than PostgreSQL keeps, text
/// with NUL on PostgreSQL); and after every case the sentinel table and the catalog hold
/// exactly what the cases created. Failures name the seed and the case, shrunk.
@Suite("Property: hostile names")
struct NamePropertyTests {
    @Test func sqlite() throws {
        try NameProperty<SQLitePropertyBackend>.run(cases: PropertyRandom.cases(1_500))
    }

    @Test(.enabled(if: TestPostgres.isEnabled, TestPostgres.skipReason))
    func postgres() throws {
        try NameProperty<PostgresPropertyBackend>.run(cases: PropertyRandom.cases(1_000))
    }
}

/// One case: the names and values of the repository path and of the migration path.
struct NameCase: CustomStringConvertible {
    var index: Int
    // The repository path: `table (id, column)` holding `value`; `extraColumn` is declared
    // only by the extended record, with `extraDefault`.
    var table: String
    var column: String
    var value: String
    var extraColumn: String
    var extraDefault: String
    // The migration path: `migrationTable (id, migrationColumn DEFAULT columnDefault)`, a row
    // holding `value` and one holding the default, `addedColumn DEFAULT addedDefault` added,
    // then renamed to `renamedTable`.
    var migrationTable: String
    var migrationColumn: String
    var columnDefault: String
    var addedColumn: String
    var addedDefault: String
    var renamedTable: String

    var texts: [String] {
        [table, column, value, extraColumn, extraDefault, migrationTable, migrationColumn, columnDefault, addedColumn,
         addedDefault, renamedTable]
    }

    init(index: Int, texts: [String]) {
        self.index = index
        (table, column, value, extraColumn, extraDefault) = (texts[0], texts[1], texts[2], texts[3], texts[4])
        (migrationTable, migrationColumn, columnDefault) = (texts[5], texts[6], texts[7])
        (addedColumn, addedDefault, renamedTable) = (texts[8], texts[9], texts[10])
    }

    static func generate(index: Int, using random: inout PropertyRandom) -> NameCase {
        // NUL is rarer in names than elsewhere, so that most cases get past the name checks.
        func name(_ tag: String) -> String {
            HostileText.name(using: &random, allowsNUL: random.chance(0.1), tag: "⟨\(tag)\(index)⟩")
        }
        func text() -> String { HostileText.string(using: &random) }
        return NameCase(index: index, texts: [
            name("r"), name(""), text(), name(""), text(), name("m"), name(""), text(), name(""), text(), name("n"),
        ])
    }

    var description: String {
        let labels = ["table", "column", "value", "extraColumn", "extraDefault", "migrationTable", "migrationColumn",
                      "columnDefault", "addedColumn", "addedDefault", "renamedTable"]
        return "case \(index): " + zip(labels, texts).map { "\($0)=\(HostileText.shown($1))" }.joined(separator: " ")
    }
}

/// The rules a case's outcome follows, written independently of the code under test.
struct NameRules {
    let isPostgres: Bool

    /// Whether a name cannot be an identifier: empty, NUL, or past PostgreSQL's 63 bytes.
    func isInvalidName(_ name: String) -> Bool {
        name.isEmpty || name.utf8.contains(0) || (isPostgres && name.utf8.count > 63)
    }

    /// Whether text cannot be stored or rendered: NUL on PostgreSQL.
    func isInvalidText(_ text: String) -> Bool { isPostgres && text.utf8.contains(0) }

    /// Whether an offline script cannot carry the case's migration names: CR LF, which the
    /// sqlite3 shell reads as LF.
    func isUnscriptable(_ nameCase: NameCase) -> Bool {
        !isPostgres && [nameCase.migrationTable, nameCase.migrationColumn, nameCase.addedColumn, nameCase.renamedTable]
            .contains { zip($0.utf8, $0.utf8.dropFirst()).contains { $0 == 13 && $1 == 10 } }
    }

    /// SQLite reserves table names starting with `sqlite_` (ASCII letters in any case).
    func isReservedTable(_ name: String) -> Bool {
        !isPostgres && String(decoding: name.utf8.prefix(7).map { $0 | ($0 >= 65 && $0 <= 90 ? 0x20 : 0) }, as: UTF8.self) == "sqlite_"
    }

    /// Whether two of a record's column names are the same: records fold ASCII case on every
    /// backend, as SQLite does, so that one declaration works on both.
    func haveDuplicates(_ names: [String]) -> Bool {
        let folded = names.map { Array($0.utf8.map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }) }
        return Set(folded).count != folded.count
    }

    /// Whether two of a table's column names are the same to the database: ASCII case folded
    /// on SQLite, byte for byte on PostgreSQL (quoted `t` and `T` are two columns).
    func haveDuplicateColumns(_ names: [String]) -> Bool {
        isPostgres ? Set(names.map { Array($0.utf8) }).count != names.count : haveDuplicates(names)
    }
}

enum NameProperty<Backend: PropertyBackend> {
    static var suite: String { "NamePropertyTests/\(Backend.name == "SQLite" ? "sqlite" : "postgres")" }

    static func run(cases count: Int) throws {
        var random = PropertyRandom.forSuite(suite)
        let cases = (0..<count).map { NameCase.generate(index: $0, using: &random) }
        let rules = NameRules(isPostgres: Backend.name == "PostgreSQL")
        var failures: [String] = []
        var migrated = 0
        // Chunks of cases share a database: SQLite re-reads its whole schema after each
        // change, so thousands of tables in one file would make the suite quadratic.
        for start in stride(from: 0, to: cases.count, by: 50) where failures.count < 3 {
            let chunk = Array(cases[start..<min(start + 50, cases.count)])
            let (problems, valid) = try run(chunk, rules: rules)
            failures += problems
            migrated += valid
        }
        #expect(failures.isEmpty, """
            \(Backend.name), \(count) cases (\(migrated) valid for the migration path), \(PropertyRandom.replay(suite)):
            \(failures.prefix(5).joined(separator: "\n"))
            """)
    }

    /// Runs cases on a fresh database (and the offline script on another); returns the
    /// failures and how many cases the migration path could apply.
    static func run(_ cases: [NameCase], rules: NameRules) throws -> ([String], Int) {
        let online = try Backend.makeDatabase()
        var expected: [[UInt8]: [[UInt8]]] = [Array("sentinel".utf8): [Array("id".utf8), Array("note".utf8)]]
        var failures: [String] = []

        // The repository path, case by case.
        for nameCase in cases where failures.count < 3 {
            switch repositoryPath(nameCase, on: online, rules: rules) {
            case .success(let created):
                if let (table, columns) = created { expected[table] = columns }
            case .failure(let failure):
                failures.append(report(failure, nameCase, shrunk: shrink(nameCase, rules: rules) { repositoryPath($0, on: try Backend.makeDatabase(), rules: rules) }))
            }
        }
        if let problem = online.sentinelProblem() { failures.append("repository path: \(problem)") }

        // The migration path: valid cases in batches of migrations, online and offline; the
        // others one by one, each an error before anything changes.
        let valid = cases.filter { migrationProblem($0, rules: rules) == nil }
        for nameCase in cases.filter({ migrationProblem($0, rules: rules) != nil }) {
            if let failure = rejectedMigration(nameCase, on: online) {
                failures.append(report(failure, nameCase, shrunk: nil))
            }
        }
        // The sqlite3 shell reads CR LF as LF: offline, such names are an error (checked
        // here), so the script holds the other cases.
        let scripted = valid.filter { !rules.isUnscriptable($0) }
        for nameCase in valid.filter(rules.isUnscriptable) {
            let offline = expectError(try OfflineMigrationScript<Backend.Database>(graph: RevisionGraph(batches([nameCase]))).upgrade("head")) {
                $0 is MigrationError
            }
            if case .failure(let failure) = offline { failures.append(report(CaseFailure("offline: \(failure.message)"), nameCase, shrunk: nil)) }
        }
        expected[Array("driftless_version".utf8)] = [Array("version_num".utf8)]
        expected[Array("driftless_version_checksums".utf8)] = Self.checksumColumns
        do {
            _ = try Migrator(database: online.database, migrations: batches(valid),
                             configuration: MigratorConfiguration(logger: LogCapture.silentLogger)).upgrade()
            failures += valid.compactMap { checkMigrated($0, in: online).map { "online: \($0)" } }.prefix(3)
            let script = try OfflineMigrationScript<Backend.Database>(graph: RevisionGraph(batches(scripted))).upgrade("head")
            let offline = try Backend.makeDatabase()
            let run = try offline.runScript(script)
            if run.status != 0 {
                failures.append("the offline script failed (status \(run.status)): \(run.error.prefix(2000))")
            } else {
                failures += scripted.compactMap { checkMigrated($0, in: offline).map { "offline: \($0)" } }.prefix(3)
                var offlineExpected = [Array("sentinel".utf8): [Array("id".utf8), Array("note".utf8)],
                                       Array("driftless_version".utf8): [Array("version_num".utf8)],
                                       Array("driftless_version_checksums".utf8): Self.checksumColumns]
                for nameCase in scripted { offlineExpected[Array(nameCase.renamedTable.utf8)] = migratedColumns(nameCase) }
                failures += catalogProblems(offline, expected: offlineExpected).map { "offline: \($0)" }
                if let problem = offline.sentinelProblem() { failures.append("offline: \(problem)") }
            }
        } catch {
            failures.append("the migrations of \(valid.count) valid cases failed: \(error)")
        }
        for nameCase in valid { expected[Array(nameCase.renamedTable.utf8)] = migratedColumns(nameCase) }
        failures += catalogProblems(online, expected: expected)
        if let problem = online.sentinelProblem() { failures.append(problem) }
        return (failures, valid.count)
    }

    // MARK: The repository path

    /// Runs a case through the repository; succeeds with the table it leaves (nil for none).
    static func repositoryPath(_ nameCase: NameCase, on db: PropertyDatabase<Backend.Database>, rules: NameRules)
        -> Result<([UInt8], [[UInt8]])?, CaseFailure>
    {
        let layout = NameProbe.Layout(table: nameCase.table, column: nameCase.column,
                                      extraColumn: nameCase.extraColumn, extraDefault: nameCase.extraDefault)
        let database = db.database
        let created = (Array(nameCase.table.utf8), [Array("id".utf8), Array(nameCase.column.utf8)])
        return NameProbe.$layout.withValue(layout) {
            database.invalidateSchema()
            let probes = database.blocking.repository(NameProbe.self)
            let invalidRecord = rules.isInvalidName(nameCase.table) || rules.isInvalidName(nameCase.column)
                || rules.haveDuplicates(["id", nameCase.column])
            do {
                if invalidRecord {
                    return expectError(try probes.insert(NameProbe(id: 1, text: nameCase.value))) {
                        ($0 as? DriftlessError)?.code == .invalidRecord
                    }.map { nil }
                }
                if rules.isReservedTable(nameCase.table) {
                    return expectError(try probes.insert(NameProbe(id: 1, text: nameCase.value))) { $0 is DatabaseError }.map { nil }
                }
                if rules.isInvalidText(nameCase.value) {
                    let rejected = expectError(try probes.insert(NameProbe(id: 1, text: nameCase.value))) { error in
                        guard let error = error as? DriftlessError else { return false }
                        return error.code == .unrepresentableValue && error.table?.name == nameCase.table
                            && error.column == nameCase.column && error.key == "id=1"
                    }
                    if case .failure(let failure) = rejected { return .failure(failure) }
                    guard try probes.count() == 0 else { return .failure(CaseFailure("a rejected value was written")) }
                    return .success(created)
                }
                try probes.insert(NameProbe(id: 1, text: nameCase.value))
                guard let found = try probes.find(Int64(1)), HostileText.same(found.text, nameCase.value) else {
                    return .failure(CaseFailure("find(1) does not return the value"))
                }
                guard try probes.count(NameProbe.filter(\.text == nameCase.value)) == 1 else {
                    return .failure(CaseFailure("a filter on the value does not find its row"))
                }
                let changed = nameCase.value + "'\"\u{301}"
                try probes.update(NameProbe(id: 1, text: changed))
                guard let updated = try probes.find(Int64(1)), HostileText.same(updated.text, changed) else {
                    return .failure(CaseFailure("update does not store the value"))
                }
                if let failure = extendedRead(nameCase, changed: changed, database: database, rules: rules) {
                    return .failure(failure)
                }
                return .success(created)
            } catch {
                return .failure(CaseFailure("unexpected error: \(error)"))
            }
        }
    }

    /// The extended record reads its missing column as the declared default.
    static func extendedRead(_ nameCase: NameCase, changed: String, database: Backend.Database, rules: NameRules) -> CaseFailure? {
        let extended = database.blocking.repository(NameProbeExtended.self)
        if rules.isInvalidName(nameCase.extraColumn) || rules.haveDuplicates(["id", nameCase.column, nameCase.extraColumn])
            || rules.isInvalidText(nameCase.extraDefault) {
            if case .failure(let failure) = expectError(try extended.fetchAll(), { ($0 as? DriftlessError)?.code == .invalidRecord }) {
                return failure
            }
            return nil
        }
        do {
            let rows = try extended.fetchAll()
            guard rows.count == 1, rows[0].id == 1, HostileText.same(rows[0].text, changed),
                  HostileText.same(rows[0].extra, nameCase.extraDefault)
            else { return CaseFailure("the projected read returns \(rows.map { HostileText.shown($0.extra) })") }
            guard try extended.count(NameProbeExtended.filter(\.extra == nameCase.extraDefault)) == 1 else {
                return CaseFailure("a filter comparing the projected default does not match")
            }
            return nil
        } catch {
            return CaseFailure("the projected read failed: \(error)")
        }
    }

    // MARK: The migration path

    /// Why a case's migration must fail, or nil when it must succeed.
    static func migrationProblem(_ nameCase: NameCase, rules: NameRules) -> String? {
        let names = [nameCase.migrationTable, nameCase.migrationColumn, nameCase.addedColumn, nameCase.renamedTable]
        if names.contains(where: rules.isInvalidName) { return "a name" }
        if rules.haveDuplicateColumns(["id", nameCase.migrationColumn, nameCase.addedColumn]) { return "duplicate columns" }
        if [nameCase.value, nameCase.columnDefault, nameCase.addedDefault].contains(where: rules.isInvalidText) { return "text" }
        if rules.isReservedTable(nameCase.migrationTable) || rules.isReservedTable(nameCase.renamedTable) { return "reserved" }
        return nil
    }

    static func operations(_ nameCase: NameCase) -> [SchemaOperation] {
        let dialect = Backend.Database.migrationDialect
        let table = TableName(nameCase.migrationTable)
        let quotedTable = dialect.quote(nameCase.migrationTable)
        return [
            .createTable(TableDefinition(table, columns: [
                TableColumn("id", .integer, nullable: false, primaryKey: true),
                TableColumn(nameCase.migrationColumn, .text, nullable: false, default: .text(nameCase.columnDefault)),
            ])),
            .execute(sql: "INSERT INTO \(quotedTable) (\"id\", \(dialect.quote(nameCase.migrationColumn))) VALUES (\(dialect.placeholder(1)), \(dialect.placeholder(2)))",
                     arguments: [1, .text(nameCase.value)]),
            .execute(sql: "INSERT INTO \(quotedTable) (\"id\") VALUES (\(dialect.placeholder(1)))", arguments: [2]),
            .addColumn(table, TableColumn(nameCase.addedColumn, .text, nullable: false, default: .text(nameCase.addedDefault)),
                       ifNotExists: false),
            .renameTable(table, to: nameCase.renamedTable),
        ]
    }

    /// The cases' migrations, 40 cases each.
    static func batches(_ cases: [NameCase]) -> [Migration] {
        stride(from: 0, to: cases.count, by: 40).map { start in
            batchMigration(Array(cases[start..<min(start + 40, cases.count)]), number: start / 40)
        }
    }

    static func batchMigration(_ cases: [NameCase], number: Int) -> Migration {
        Migration(revision: Revision(id: "batch\(number)", message: "names", parents: number == 0 ? [] : ["batch\(number - 1)"]),
                  upgrade: cases.flatMap { operations($0) }, downgrade: [])
    }

    static func migratedColumns(_ nameCase: NameCase) -> [[UInt8]] {
        [Array("id".utf8), Array(nameCase.migrationColumn.utf8), Array(nameCase.addedColumn.utf8)]
    }

    /// The renamed table holds the value and the defaults exactly.
    static func checkMigrated(_ nameCase: NameCase, in db: PropertyDatabase<Backend.Database>) -> String? {
        let dialect = Backend.Database.migrationDialect
        do {
            let rows = try db.rows("SELECT \(dialect.quote(nameCase.migrationColumn)), \(dialect.quote(nameCase.addedColumn)) FROM \(dialect.quote(nameCase.renamedTable)) ORDER BY \"id\"")
            let expected: [[DatabaseValue]] = [[.text(nameCase.value), .text(nameCase.addedDefault)],
                                               [.text(nameCase.columnDefault), .text(nameCase.addedDefault)]]
            let same = rows.count == 2 && zip(rows, expected).allSatisfy { row, want in
                zip(row, want).allSatisfy { value, wanted in
                    if case .text(let a) = value, case .text(let b) = wanted { return HostileText.same(a, b) }
                    return false
                }
            }
            return same ? nil : "\(nameCase): the migrated table holds \(rows)"
        } catch {
            return "\(nameCase): reading the migrated table failed: \(error)"
        }
    }

    /// A case whose migration must fail: online in a transaction that rolls back, and
    /// offline before anything is rendered.
    static func rejectedMigration(_ nameCase: NameCase, on db: PropertyDatabase<Backend.Database>) -> CaseFailure? {
        let database = db.database
        let before = try? db.catalog()
        let online = expectError(try database.write { connection in
            try database.inTransaction(on: connection) {
                for operation in operations(nameCase) { try operation.apply(on: LiveMigrationConnection(connection)) }
            }
        }) { error in
            error is MigrationError || (error as? DriftlessError)?.code == .unrepresentableValue || error is DatabaseError
        }
        if case .failure(let failure) = online { return failure }
        let after = try? db.catalog()
        if before != after { return CaseFailure("a rejected migration changed the catalog") }
        let migration = batchMigration([nameCase], number: 0)
        let offline = expectError(try OfflineMigrationScript<Backend.Database>(graph: RevisionGraph([migration])).upgrade("head")) {
            $0 is MigrationError || $0 is DatabaseError
        }
        // Rendering sees names and values, not the database: duplicate columns and reserved
        // names fail only when the script runs.
        let rules = NameRules(isPostgres: Backend.name == "PostgreSQL")
        let renderingRejects = ["a name", "text"].contains(migrationProblem(nameCase, rules: rules))
        if case .failure(let failure) = offline, renderingRejects { return CaseFailure("offline: \(failure.message)") }
        return nil
    }

    // MARK: Checks

    /// The checksum table the migrator keeps beside the version table.
    static var checksumColumns: [[UInt8]] { ["kind", "name", "checksum", "recorded_at"].map { Array($0.utf8) } }

    static func catalogProblems(_ db: PropertyDatabase<Backend.Database>, expected: [[UInt8]: [[UInt8]]]) -> [String] {
        do {
            let catalog = try db.catalog()
            var problems: [String] = []
            for (table, columns) in catalog where expected[table] != columns {
                problems.append("unexpected table or columns: \(HostileText.shown(String(decoding: table, as: UTF8.self))) \(columns.map { HostileText.shown(String(decoding: $0, as: UTF8.self)) })")
            }
            for table in expected.keys where catalog[table] == nil {
                problems.append("missing table \(HostileText.shown(String(decoding: table, as: UTF8.self)))")
            }
            return Array(problems.prefix(3))
        } catch {
            return ["the catalog cannot be read: \(error)"]
        }
    }

    static func report(_ failure: CaseFailure, _ nameCase: NameCase, shrunk: NameCase?) -> String {
        "\(nameCase): \(failure.message)" + (shrunk.map { "\n  shrunk to \($0)" } ?? "")
    }

    /// The smallest variant of a failing case that still fails the same path, on fresh databases.
    static func shrink(_ nameCase: NameCase, rules: NameRules,
                       _ path: (NameCase) throws -> Result<([UInt8], [[UInt8]])?, CaseFailure>) -> NameCase {
        let texts = HostileText.shrink(nameCase.texts, budget: 60) { texts in
            let candidate = NameCase(index: nameCase.index, texts: texts)
            if case .failure = (try? path(candidate)) ?? .success(nil) { return true }
            return false
        }
        return NameCase(index: nameCase.index, texts: texts)
    }
}

/// Why a case failed.
struct CaseFailure: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// Success when `body` throws an error `matches` accepts.
func expectError<T>(_ body: @autoclosure () throws -> T, _ matches: (any Error) -> Bool) -> Result<Void, CaseFailure> {
    do {
        _ = try body()
        return .failure(CaseFailure("expected an error, got none"))
    } catch {
        return matches(error) ? .success(()) : .failure(CaseFailure("unexpected error: \(error)"))
    }
}
