import Foundation

/// The SQL of the fleet table, on any backend: one row per registered process, times in
/// milliseconds since 1970 (by each process's clock; keep TTLs well above clock skew).
package enum FleetTable {
    /// The table's name.
    package static let name = TableName("driftless_fleet")

    static func createSQL(_ dialect: some SQLDialect) -> String {
        let text = dialect.typeName(.text), integer = dialect.typeName(.integer)
        return "CREATE TABLE IF NOT EXISTS " + dialect.quote(name) + " (id \(text) PRIMARY KEY, release_name \(text) NOT NULL, "
            + "host \(text) NOT NULL, pid \(integer) NOT NULL, fingerprint \(text) NOT NULL, schema_json \(text) NOT NULL, "
            + "started_ms \(integer) NOT NULL, heartbeat_ms \(integer) NOT NULL, expires_ms \(integer) NOT NULL)"
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }

    /// Inserts or renews a member's row.
    static func write(_ member: FleetMember, on connection: some DriverConnection) throws {
        let dialect = connection.dialect
        let placeholders = (1...9).map { dialect.placeholder($0) }.joined(separator: ", ")
        _ = try connection.execute(
            "INSERT INTO " + dialect.quote(name) + " (id, release_name, host, pid, fingerprint, schema_json, started_ms, "
                + "heartbeat_ms, expires_ms) VALUES (" + placeholders + ") ON CONFLICT (id) DO UPDATE SET "
                + "heartbeat_ms = excluded.heartbeat_ms, expires_ms = excluded.expires_ms",
            arguments: [.text(member.id), .text(member.release), .text(member.host), .integer(member.pid),
                        .text(member.fingerprint), .text(member.schema.json), .integer(milliseconds(member.started)),
                        .integer(milliseconds(member.heartbeat)), .integer(milliseconds(member.expires))])
    }

    static func delete(id: String, on connection: some DriverConnection) throws {
        _ = try connection.execute("DELETE FROM " + connection.dialect.quote(name) + " WHERE id = " + connection.dialect.placeholder(1),
                                   arguments: [.text(id)])
    }

    /// Removes entries that expired before `date` (their processes are gone).
    static func deleteExpired(before date: Date, on connection: some DriverConnection) throws {
        _ = try connection.execute("DELETE FROM " + connection.dialect.quote(name) + " WHERE expires_ms < " + connection.dialect.placeholder(1),
                                   arguments: [.integer(milliseconds(date))])
    }

    /// Every registered member, live or expired; none when the table does not exist.
    package static func members(on connection: some DriverConnection) throws -> [FleetMember] {
        guard try connection.reflectTable(name) != nil else { return [] }
        let statement = try connection.prepare(
            "SELECT id, release_name, host, pid, fingerprint, schema_json, started_ms, heartbeat_ms, expires_ms FROM "
                + connection.dialect.quote(name) + " ORDER BY release_name, host, pid, id")
        defer { statement.reset() }
        var members: [FleetMember] = []
        func date(_ value: DatabaseValue) -> Date {
            Date(timeIntervalSince1970: Double(Int64.fromDatabaseValue(value) ?? 0) / 1000)
        }
        while try statement.step() {
            let text = { (index: Int) in String.fromDatabaseValue(statement.value(at: index)) ?? "" }
            members.append(FleetMember(
                id: text(0), release: text(1), host: text(2), pid: Int64.fromDatabaseValue(statement.value(at: 3)) ?? 0,
                fingerprint: text(4), schema: FleetSchema(json: text(5)) ?? FleetSchema(records: []),
                started: date(statement.value(at: 6)), heartbeat: date(statement.value(at: 7)),
                expires: date(statement.value(at: 8))))
        }
        return members
    }
}
