import Driftless
import DriftlessMigrations
import DriftlessPostgres
import DriftlessSQLite
import Foundation
import Testing

/// Values of every stored type, drawn from their whole range (``HostileValues``,
/// ``HostileText``), on each backend:
///
/// - written through the repository (batches, and one by one for values the backend
///   cannot hold) and read back: the exact value, or a typed error naming table, column
///   and key, and then nothing written;
/// - found by a filter comparing the value;
/// - written by a migration's `execute` rendered as an offline script (values inlined as
///   literals) and run through `sqlite3` or `psql`: the same values as online;
/// - declared as defaults of columns the table lacks and read through the projected plan's
///   literals: the default exactly, or `invalidRecord` naming the column on first use.
@Suite("Property: values")
struct ValuePropertyTests {
    @Test func sqlite() throws {
        try ValueProperty<SQLitePropertyBackend>.run(cases: PropertyRandom.cases(2_500), defaults: PropertyRandom.cases(600))
    }

    @Test(.enabled(if: TestPostgres.isEnabled, TestPostgres.skipReason))
    func postgres() throws {
        try ValueProperty<PostgresPropertyBackend>.run(cases: PropertyRandom.cases(1_500), defaults: PropertyRandom.cases(400))
    }
}

enum ValueProperty<Backend: PropertyBackend> {
    static var isSQLite: Bool { Backend.name == "SQLite" }
    static var suite: String { "ValuePropertyTests/\(isSQLite ? "sqlite" : "postgres")" }

    static func run(cases count: Int, defaults defaultCount: Int) throws {
        var random = PropertyRandom.forSuite(suite)
        let online = try Backend.makeDatabase()
        let offline = try Backend.makeDatabase()
        var failures: [String] = []
        var script: [SchemaOperation] = []
        func check<R: ValueRecord>(_ type: R.Type, _ values: [R.Value], storable: (R.Value) -> Bool,
                                   same: @escaping (R.Value, R.Value) -> Bool, shown: (R.Value) -> String) {
            failures += roundTrip(type, values, storable: storable, same: same, shown: shown, on: online, script: &script)
        }
        check(TextValue.self, (0..<count).map { _ in HostileText.string(using: &random, maximumPieces: 12) },
              storable: { isSQLite || !$0.utf8.contains(0) }, same: HostileText.same, shown: HostileText.shown)
        check(RealValue.self, (0..<count).map { _ in HostileValues.double(using: &random) },
              storable: { !isSQLite || !$0.isNaN }, same: { HostileValues.sameDouble($0, $1, isSQLite: isSQLite) },
              shown: { "\($0) (bits \(String($0.bitPattern, radix: 16)))" })
        check(DateValue.self, (0..<count).map { _ in HostileValues.date(using: &random) },
              storable: HostileValues.isStorable, same: { HostileValues.isStoredForm($0, of: $1) },
              shown: { "\($0.timeIntervalSince1970) s" })
        check(BlobValue.self, (0..<count / 2).map { _ in HostileValues.blob(using: &random) },
              storable: { _ in true }, same: ==, shown: { "\($0)" })
        check(IntegerValue.self, (0..<count / 2).map { _ in HostileValues.integer(using: &random) },
              storable: { _ in true }, same: ==, shown: { "\($0)" })

        // The same writes as an offline script, on a database with the same (empty) tables.
        do {
            let tables: [(String, ColumnType)] = [(TextValue.table, .text), (RealValue.table, .real), (DateValue.table, .timestamp),
                                                  (BlobValue.table, .blob), (IntegerValue.table, .integer)]
            let creations = tables.map { table, type in
                SchemaOperation.createTable(TableDefinition(TableName(table), columns: [
                    TableColumn("id", .integer, nullable: false, primaryKey: true), TableColumn("value", type, nullable: false),
                ]))
            }
            let migration = Migration(revision: Revision(id: "values", message: "values"), upgrade: creations + script, downgrade: [])
            let rendered = try OfflineMigrationScript<Backend.Database>(graph: RevisionGraph([migration])).upgrade("head")
            let run = try offline.runScript(rendered)
            if run.status != 0 { failures.append("the offline script failed: \(run.error.prefix(1000))") }
            failures += try sameRows(TextValue.self, online, offline, same: { HostileText.same($0, $1) })
            failures += try sameRows(RealValue.self, online, offline, same: { HostileValues.sameDouble($0, $1, isSQLite: isSQLite) })
            failures += try sameRows(DateValue.self, online, offline, same: ==)
            failures += try sameRows(BlobValue.self, online, offline, same: ==)
            failures += try sameRows(IntegerValue.self, online, offline, same: ==)
        } catch {
            failures.append("offline: \(error)")
        }

        failures += projectedDefaults(count: defaultCount, using: &random, on: online)
        for db in [online, offline] { if let problem = db.sentinelProblem() { failures.append(problem) } }
        #expect(failures.isEmpty, """
            \(Backend.name), \(count * 4) values and \(defaultCount) sets of defaults, \(PropertyRandom.replay(suite)):
            \(failures.prefix(6).joined(separator: "\n"))
            """)
    }

    /// Writes the values (the storable ones in one batch), reads them back, filters by some,
    /// and appends their offline inserts to `script`; returns failures.
    static func roundTrip<R: ValueRecord>(
        _ type: R.Type, _ values: [R.Value], storable: (R.Value) -> Bool, same: (R.Value, R.Value) -> Bool,
        shown: (R.Value) -> String, on db: PropertyDatabase<Backend.Database>, script: inout [SchemaOperation]
    ) -> [String] {
        let repository = db.database.blocking.repository(R.self)
        let records = values.enumerated().map { R(id: Int64($0.offset + 1), value: $0.element) }
        var failures: [String] = []
        let kept = records.filter { storable($0.value) }
        do {
            try repository.insert(contentsOf: kept)
        } catch {
            return ["\(R.table): writing \(kept.count) storable values failed: \(error)"]
        }
        for record in records where !storable(record.value) {
            let rejected = expectError(try repository.insert(record)) { error in
                guard let error = error as? DriftlessError else { return false }
                return error.code == .unrepresentableValue && error.table?.name == R.table && error.column == "value"
                    && error.key == "id=\(record.id)"
            }
            if case .failure(let failure) = rejected { failures.append("\(R.table) \(shown(record.value)): \(failure.message)") }
        }
        do {
            let read = try repository.fetchAll(R.order(.ascending(R.idPath)))
            guard read.map(\.id) == kept.map(\.id) else {
                return failures + ["\(R.table): \(read.count) rows read back for \(kept.count) written"]
            }
            for (got, wanted) in zip(read, kept) where !same(got.value, wanted.value) {
                failures.append("\(R.table) id \(wanted.id): wrote \(shown(wanted.value)), read \(shown(got.value))")
            }
            for record in kept.prefix(200) where !(record.value is Double && (record.value as? Double)?.isNaN == true) {
                let found = try repository.count(R.filter(R.valuePath == record.value))
                if found < 1 { failures.append("\(R.table): a filter on \(shown(record.value)) finds no row") }
            }
        } catch {
            failures.append("\(R.table): reading back failed: \(error)")
        }
        let dialect = Backend.Database.migrationDialect
        let insert = "INSERT INTO \(dialect.quote(R.table)) (\"id\", \"value\") VALUES (\(dialect.placeholder(1)), \(dialect.placeholder(2)))"
        script += kept.map { .execute(sql: insert, arguments: [.integer($0.id), $0.value.databaseValue]) }
        return Array(failures.prefix(3))
    }

    /// The offline database holds what the online one does.
    static func sameRows<R: ValueRecord>(
        _ type: R.Type, _ online: PropertyDatabase<Backend.Database>, _ offline: PropertyDatabase<Backend.Database>,
        same: (R.Value, R.Value) -> Bool
    ) throws -> [String] {
        let wanted = try online.database.blocking.repository(R.self).fetchAll(R.order(.ascending(R.idPath)))
        let got = try offline.database.blocking.repository(R.self).fetchAll(R.order(.ascending(R.idPath)))
        guard got.map(\.id) == wanted.map(\.id) else { return ["offline \(R.table): \(got.count) rows for \(wanted.count)"] }
        return zip(got, wanted).filter { !same($0.value, $1.value) }.prefix(3)
            .map { "offline \(R.table) id \($1.id): \($0.value) instead of \($1.value)" }
    }

    /// Sets of defaults read through projected plans.
    static func projectedDefaults(count: Int, using random: inout PropertyRandom, on db: PropertyDatabase<Backend.Database>) -> [String] {
        let database = db.database
        do {
            try database.executeRaw("CREATE TABLE default_probe (id \(database.sqlType(.integer)) PRIMARY KEY)")
            try database.executeRaw("INSERT INTO default_probe (id) VALUES (1)")
        } catch {
            return ["cannot create default_probe: \(error)"]
        }
        var failures: [String] = []
        for index in 0..<count where failures.count < 3 {
            let defaults = DefaultProbe.Defaults(
                text: HostileText.string(using: &random), real: HostileValues.double(using: &random),
                date: HostileValues.date(using: &random), blob: HostileValues.blob(using: &random))
            let servable = (isSQLite || !defaults.text.utf8.contains(0)) && (!isSQLite || !defaults.real.isNaN)
                && HostileValues.isStorable(defaults.date)
            let described = "defaults \(index): text \(HostileText.shown(defaults.text)) real \(defaults.real) date \(defaults.date.timeIntervalSince1970) blob \(defaults.blob)"
            try? DefaultProbe.$layout.withValue(DefaultProbe.Layout(defaults)) {  // (nothing inside throws)
                database.invalidateSchema()
                let probes = database.blocking.repository(DefaultProbe.self)
                guard servable else {
                    if case .failure(let failure) = expectError(try probes.fetchAll(), { ($0 as? DriftlessError)?.code == .invalidRecord }) {
                        failures.append("\(described): \(failure.message)")
                    }
                    return
                }
                do {
                    let rows = try probes.fetchAll()
                    guard rows.count == 1, HostileText.same(rows[0].text, defaults.text),
                          HostileValues.sameDouble(rows[0].real, defaults.real, isSQLite: false),
                          HostileValues.isStoredForm(rows[0].date, of: defaults.date), rows[0].blob == defaults.blob
                    else {
                        failures.append("\(described): read \(rows.map { ($0.real, $0.date.timeIntervalSince1970, HostileText.shown($0.text), $0.blob) })")
                        return
                    }
                    if try probes.count(DefaultProbe.filter(\.text == defaults.text && \.blob == defaults.blob)) != 1 {
                        failures.append("\(described): a filter comparing the projected defaults does not match")
                    }
                } catch {
                    failures.append("\(described): \(error)")
                }
            }
        }
        return failures
    }
}
