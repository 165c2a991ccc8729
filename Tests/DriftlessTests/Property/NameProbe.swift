import Driftless

/// A record whose table, column and default are chosen at run time, for the names the
/// property suites draw: its schema is a task-local, so that concurrent suites do not see
/// each other's. Plans are cached per record type, so a suite switching layouts calls
/// `invalidateSchema()` on its database before using the new one.
struct NameProbe: Record {
    var id: Int64
    var text: String

    @TaskLocal static var layout = Layout(table: "name_probe", column: "text", extraColumn: "extra", extraDefault: "")

    static var schema: RecordSchema<NameProbe> { layout.probe }

    init(id: Int64, text: String) {
        self.id = id
        self.text = text
    }

    init(row: Row) throws {
        id = try row.decode(at: 0)
        text = try row.decode(at: 1)
    }

    /// The names of one case: `table (id, column)`, and a third column the table never has,
    /// which ``NameProbeExtended`` declares with `extraDefault`.
    final class Layout: Sendable {
        let probe: RecordSchema<NameProbe>
        let extended: RecordSchema<NameProbeExtended>

        init(table: String, column: String, extraColumn: String, extraDefault: String) {
            probe = RecordSchema<NameProbe>(table: table) {
                Column("id", \.id, primaryKey: true)
                Column(column, \.text, default: "")
            }
            extended = RecordSchema<NameProbeExtended>(table: table) {
                Column("id", \.id, primaryKey: true)
                Column(column, \.text, default: "")
                Column(extraColumn, \.extra, default: extraDefault)
            }
        }
    }
}

/// ``NameProbe`` with a column its table lacks: reads serve the declared default through the
/// projected plan's literal.
struct NameProbeExtended: Record {
    var id: Int64
    var text: String
    var extra: String

    static var schema: RecordSchema<NameProbeExtended> { NameProbe.layout.extended }

    init(row: Row) throws {
        id = try row.decode(at: 0)
        text = try row.decode(at: 1)
        extra = try row.decode(at: 2)
    }
}
