import Driftless
import Foundation

/// The checksums of applied migrations, in a table beside the version table
/// (`driftless_version_checksums`): one row per applied revision and per repeatable
/// migration, with when it was recorded.
///
/// The version table keeps Alembic's shape (one row per applied head), so it cannot hold a
/// checksum per migration; the checksum table sits beside it. A database migrated before
/// checksums existed has the version table alone: the first migrating command creates the
/// checksum table and records the applied migrations as they are now, leaving the version
/// rows (the history) as they were.
extension VersionTable {
    /// What a checksum row records: a revision of the graph, or a repeatable migration.
    public enum ChecksumKind: String, Sendable, Hashable {
        case revision
        case repeatable
    }

    /// The checksum table's name: the version table's, with `_checksums`.
    public var checksumTableName: String { name + "_checksums" }

    /// `CREATE TABLE IF NOT EXISTS` for the checksum table.
    public func createChecksumsSQL(_ dialect: any SQLDialect) -> String {
        "CREATE TABLE IF NOT EXISTS \(dialect.quote(checksumTableName)) (kind text NOT NULL, name text NOT NULL, "
            + "checksum text NOT NULL, recorded_at text NOT NULL, PRIMARY KEY (kind, name))"
    }

    /// The recorded checksums of one kind, by name; empty when the table does not exist yet.
    ///
    /// On PostgreSQL a missing table aborts the enclosing transaction: inside one, call
    /// ``create(on:)`` first.
    public func checksums(_ kind: ChecksumKind, on connection: some MigrationConnection) throws -> [String: String] {
        do {
            let rows = try connection.query(
                "SELECT name, checksum FROM \(connection.dialect.quote(checksumTableName)) WHERE kind = \(connection.dialect.placeholder(1))",
                arguments: [.text(kind.rawValue)])
            var checksums: [String: String] = [:]
            for row in rows where row.count == 2 {
                if case .text(let name) = row[0], case .text(let checksum) = row[1] { checksums[name] = checksum }
            }
            return checksums
        } catch let error as DatabaseError where error.kind == .undefinedTable {
            return [:]
        }
    }

    /// The statements that record `checksum` for `name` (replacing a recorded one).
    public func recordChecksumStatement(_ kind: ChecksumKind, name: String, checksum: String, dialect: any SQLDialect)
        -> (sql: String, arguments: [DatabaseValue])
    {
        let recordedAt = ISO8601DateFormatter().string(from: Date())
        let (p1, p2, p3, p4) = (dialect.placeholder(1), dialect.placeholder(2), dialect.placeholder(3), dialect.placeholder(4))
        return ("INSERT INTO \(dialect.quote(checksumTableName)) (kind, name, checksum, recorded_at) VALUES (\(p1), \(p2), \(p3), \(p4)) "
                    + "ON CONFLICT (kind, name) DO UPDATE SET checksum = excluded.checksum, recorded_at = excluded.recorded_at",
                [.text(kind.rawValue), .text(name), .text(checksum), .text(recordedAt)])
    }

    /// The statement that forgets the checksum of `name` (a reverted revision).
    public func deleteChecksumStatement(_ kind: ChecksumKind, name: String, dialect: any SQLDialect)
        -> (sql: String, arguments: [DatabaseValue])
    {
        ("DELETE FROM \(dialect.quote(checksumTableName)) WHERE kind = \(dialect.placeholder(1)) AND name = \(dialect.placeholder(2))",
         [.text(kind.rawValue), .text(name)])
    }

    func recordChecksum(_ kind: ChecksumKind, name: String, checksum: String, on connection: some MigrationConnection) throws {
        let statement = recordChecksumStatement(kind, name: name, checksum: checksum, dialect: connection.dialect)
        try connection.execute(statement.sql, arguments: statement.arguments)
    }

    func deleteChecksum(_ kind: ChecksumKind, name: String, on connection: some MigrationConnection) throws {
        let statement = deleteChecksumStatement(kind, name: name, dialect: connection.dialect)
        try connection.execute(statement.sql, arguments: statement.arguments)
    }
}

/// An applied migration whose checksum is not the one recorded when it was applied.
public struct ChecksumMismatch: Sendable, Hashable, CustomStringConvertible {
    /// The revision's id.
    public var revision: String
    /// Where the migration comes from (`Swift`, or the SQL file's path).
    public var source: String
    /// The checksum recorded when it was applied.
    public var recorded: String
    /// Its checksum now.
    public var current: String

    public var description: String {
        "applied migration \(revision) (\(source)) changed since it was applied (checksum \(recorded.prefix(19)) then, "
            + "\(current.prefix(19)) now)"
    }
}
