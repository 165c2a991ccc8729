import ArgumentParser
import Driftless
import DriftlessPostgres
import DriftlessSQLite

/// The rollout's backfill, between the last old process going and the contract step: copies
/// `users.name` into `users.display_name` where they differ, in batches of keys, each batch
/// its own statement (short locks; a crash loses at most the batch in flight and a rerun
/// goes on, since rows already equal are skipped).
///
/// Safe while v2 processes write: they write both columns, so the old one always holds the
/// newest value, and a batch only ever copies old into new.
struct BackfillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "backfill")

    @Option(help: "A SQLite path or a postgres:// URL.")
    var database: String

    @Option(help: "Keys per batch.")
    var batchSize: Int = 500

    @Flag(help: "Copy only where the new column is NULL (the hand-written backfill of an app without dual writes).")
    var onlyMissing = false

    func run() async throws {
        switch Backend(url: database) {
        case .postgres:
            let db = try PostgresDatabase(url: database)
            defer { db.close() }
            try await backfill(db, differs: onlyMissing ? "IS NULL" : "IS DISTINCT FROM name")
        case .sqlite:
            let db = try SQLiteDatabase(path: database)
            defer { db.close() }
            try await backfill(db, differs: onlyMissing ? "IS NULL" : "IS NOT name")
        }
    }

    /// `differs`: the condition on `display_name` that selects rows to copy.
    private func backfill(_ db: some DatabaseDriver, differs: String) async throws {
        let p = { (n: Int) in db.driftContext.dialect.placeholder(n) }
        let bounds = try await db.repository(KeyBounds.self)
            .fetchAll(sql: "SELECT MIN(id) AS low, MAX(id) AS high FROM users").first
        guard let low = bounds?.low, let high = bounds?.high else {
            print("backfill: no rows")
            return
        }
        var copied = 0
        var batches = 0
        var start = low
        while start <= high {
            let end = start + Int64(batchSize) - 1
            copied += try await db.execute(
                "UPDATE users SET display_name = name WHERE id BETWEEN \(p(1)) AND \(p(2)) AND display_name \(differs)",
                arguments: [start.databaseValue, end.databaseValue])
            batches += 1
            start = end + 1
        }
        print("backfill: \(copied) row(s) copied in \(batches) batch(es)")
    }
}

/// The smallest and largest user id, read with raw SQL.
private struct KeyBounds: Record, Codable {
    var low: Int64?
    var high: Int64?
    static let schema = RecordSchema<KeyBounds>(table: "users") {
        Column("low", \.low)
        Column("high", \.high)
    }
}
