import Driftless
import DriftlessMigrations
import Testing

extension MigratorConformance {
    /// Issue 8: a migration's message goes into a `--` comment of the offline script
    /// (`-- Running upgrade a1 -> b2, <message>`). Whatever it holds, line ends included, it
    /// must not end the comment: piped into the database's own client, stopping at the first
    /// error, the script applies every migration and drops nothing it does not say.
    static func offlineCommentsCarryNoSQL<D: MigrationTestDatabase>(_ db: D) throws {
        var random = PropertyRandom(seed: 0x0FF1_11E5)
        let messages = HostileText.messages(300, using: &random)
        var migrations = [sqlMigration("m0", message: "create the victim", up: "CREATE TABLE victim (id INTEGER PRIMARY KEY)",
                                       down: "DROP TABLE victim")]
        for (index, message) in messages.enumerated() {
            migrations.append(sqlMigration("m\(index + 1)", parents: ["m\(index)"], message: message,
                                           up: "INSERT INTO victim (id) VALUES (\(index + 1))",
                                           down: "DELETE FROM victim WHERE id = \(index + 1)"))
        }
        let script = OfflineMigrationScript<D>(graph: try RevisionGraph(migrations))
        let last = "m\(messages.count)"

        let upgrade = try script.upgrade("heads")
        for line in upgrade.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        where line.hasPrefix("-- Running") {
            #expect(!line.unicodeScalars.contains { $0.properties.generalCategory == .control }, "\(line)")
        }
        let up = try db.runClient(upgrade)
        #expect(up.status == 0, "the client failed: \(up.error)")
        #expect(try db.strings("SELECT count(*) FROM victim") == ["\(messages.count)"])
        #expect(try db.strings("SELECT version_num FROM driftless_version") == [last])

        let down = try db.runClient(try script.downgrade("\(last):m0"))
        #expect(down.status == 0, "the client failed: \(down.error)")
        #expect(try db.strings("SELECT count(*) FROM victim") == ["0"])
        #expect(try db.strings("SELECT version_num FROM driftless_version") == ["m0"])
    }
}
