import Foundation

/// The tables and columns one process's records read and write, as it registers them in the
/// fleet table: what a contract step (a drop or rename) asks before it removes anything.
public struct FleetSchema: Sendable, Hashable, Codable {
    public struct Table: Sendable, Hashable, Codable {
        /// The record types stored in the table.
        public var records: [String]
        public var name: String
        public var schema: String?
        /// Names the table had before a rename (the process also reads those).
        public var previousNames: [String]
        public var columns: [Column]
    }

    public struct Column: Sendable, Hashable, Codable {
        public var name: String
        /// Names the column had before a rename: the process reads them while they exist and
        /// falls back to ``name`` once they are gone, so removing them does not break it.
        public var previousNames: [String]
    }

    public var tables: [Table]

    /// The schema of these records, one entry per table (records sharing a table merged).
    public init(records: [any Record.Type]) {
        var tables: [Table] = []
        for record in records {
            let table = record.fleetTable
            if let index = tables.firstIndex(where: { $0.name == table.name && $0.schema == table.schema }) {
                tables[index].records += table.records
                for column in table.columns where !tables[index].columns.contains(where: { $0.name == column.name }) {
                    tables[index].columns.append(column)
                }
                tables[index].previousNames = Array(Set(tables[index].previousNames + table.previousNames)).sorted()
            } else {
                tables.append(table)
            }
        }
        self.tables = tables.sorted { ($0.schema ?? "", $0.name) < ($1.schema ?? "", $1.name) }
    }

    /// A stable hash of the schema (FNV-1a over its JSON), to tell releases' schemas apart.
    public var fingerprint: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in json.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// The schema as the fleet table stores it.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(self), as: UTF8.self)) ?? "{\"tables\":[]}"
    }

    init?(json: String) {
        guard let schema = try? JSONDecoder().decode(FleetSchema.self, from: Data(json.utf8)) else { return nil }
        self = schema
    }

    /// How the process uses a table's column, by the dialect's comparison of names: as a
    /// column it needs (`.current`), as a previous name it can do without (`.previous`), or
    /// not at all. `column` nil asks about the table itself.
    public func use(of table: TableName, column: String? = nil, caseInsensitive: Bool) -> FleetUse? {
        func same(_ lhs: String, _ rhs: String) -> Bool {
            IdentifierKey(lhs, caseInsensitive: caseInsensitive) == IdentifierKey(rhs, caseInsensitive: caseInsensitive)
        }
        var found: FleetUse?
        for entry in tables where entry.schema == table.schema {
            let current = same(entry.name, table.name)
            let previous = entry.previousNames.contains { same($0, table.name) }
            guard current || previous else { continue }
            guard let column else { return current ? .current : .previous }
            for declared in entry.columns {
                if same(declared.name, column) { return .current }
                if declared.previousNames.contains(where: { same($0, column) }) { found = .previous }
            }
        }
        return found
    }
}

/// How a fleet member uses a table or column.
public enum FleetUse: Sendable, Hashable {
    /// Under its current name: removing or renaming it breaks the process.
    case current
    /// As a previous name: the process falls back to the new name once it is gone.
    case previous
}

extension Record {
    static var fleetTable: FleetSchema.Table {
        FleetSchema.Table(
            records: [String(describing: Self.self)], name: schema.table.name, schema: schema.table.schema,
            previousNames: schema.previousTableNames.map(\.name),
            columns: schema.columns.map { FleetSchema.Column(name: $0.name, previousNames: $0.previousNames.map(\.name)) }
                + (schema.usesOverflow ? [FleetSchema.Column(name: schema.overflowColumn, previousNames: [])] : []))
    }
}
