import Driftless
import Foundation

extension Migrator {
    /// The processes registered in the fleet table, and the contract steps among the pending
    /// migrations that live ones still need: `driftless migrate fleet`.
    public func fleetReport(at date: Date = Date()) throws -> FleetReport {
        let rows = try readVersions()
        try requireKnown(rows)
        let steps = graph.upgradePath(from: rows, to: .revisions(Set(graph.heads)))
        return try database.read { connection in
            let members = try FleetTable.members(on: connection)
            let live = members.filter { $0.isLive(at: date) }
            let dialect = connection.dialect
            let caseInsensitive = connection.dialect.identifiersAreCaseInsensitive
            return FleetReport(
                members: members, live: live,
                blockedSteps: steps.flatMap { ContractUse.uses(in: $0, dialect: dialect, members: live, caseInsensitive: caseInsensitive) })
        }
    }

    /// Refuses a step whose contract changes live processes still need, unless the
    /// configuration says not to check (`--force`).
    func checkFleet(before step: MigrationStep, on connection: Database.Connection) throws {
        guard configuration.checksFleet else { return }
        let now = Date()
        let live = try FleetTable.members(on: connection).filter { $0.isLive(at: now) }
        guard !live.isEmpty else { return }
        let uses = ContractUse.uses(in: step, dialect: connection.dialect, members: live,
                                    caseInsensitive: connection.dialect.identifiersAreCaseInsensitive)
        if let first = uses.first { throw MigrationError.contractInUse(first) }
    }

    /// Moves overflow values into columns a step may have added, outside its transaction
    /// and in batches (see `OverflowMover`): for every table the step changed that has the
    /// overflow column.
    func moveOverflowValues(after step: MigrationStep, on connection: Database.Connection) throws {
        guard let overflowColumn = configuration.overflowColumn else { return }
        var tables: [TableName] = []
        for change in step.operations.flatMap({ LintedChange.changes(of: $0, dialect: connection.dialect) }) {
            switch change.kind {
            case .addColumn(let table, _, _), .renameColumn(let table, _, _), .alterColumn(let table, _, _), .createTable(let table):
                if !tables.contains(table) { tables.append(table) }
            case .renameTable(let table, let name):
                let renamed = TableName(name, schema: table.schema)
                if !tables.contains(renamed) { tables.append(renamed) }
            default: continue
            }
        }
        for table in tables {
            let mover = OverflowMover(connection: connection, table: table, overflowColumn: overflowColumn,
                                      batchSize: configuration.overflowBatchSize, lockTimeoutMilliseconds: 5000)
            var after: [DatabaseValue]?
            var moved = 0
            while let last = try { () throws -> [DatabaseValue]? in
                let batch = try mover.moveBatch(after: after)
                moved += batch.movedValues
                return batch.lastKey
            }() {
                after = last
            }
            if moved > 0 {
                logger.notice("moved overflow values into their columns", metadata: [
                    "table": "\(table)", "values": "\(moved)", "revision": "\(step.revision.id)",
                ])
            }
        }
    }
}

/// The fleet as `driftless migrate fleet` shows it.
public struct FleetReport: Sendable {
    /// Every registered process, live or expired.
    public var members: [FleetMember]
    /// Those whose heartbeat has not expired.
    public var live: [FleetMember]
    /// Pending contract steps that live processes still need.
    public var blockedSteps: [ContractUse]

    /// The releases live processes run, each with its process count.
    public var releases: [(release: String, processes: Int)] {
        Dictionary(grouping: live, by: \.release).map { ($0.key, $0.value.count) }.sorted { $0.release < $1.release }
    }
}

extension Migrator {
    /// Moves `table`'s overflow values into the columns that now exist (what
    /// `driftless migrate backfill` does), one transaction per batch.
    public func moveOverflowValues(
        in table: TableName, overflowColumn: String = "driftless_overflow", batchSize: Int = 1000,
        progress: (OverflowMoveReport) -> Void = { _ in }
    ) throws -> OverflowMoveReport {
        var report = OverflowMoveReport(table: table)
        var after: [DatabaseValue]?
        while true {
            let start = after
            let batch = try database.write { connection in
                try OverflowMover(connection: connection, table: table, overflowColumn: overflowColumn,
                                  batchSize: max(1, batchSize), lockTimeoutMilliseconds: 5000).moveBatch(after: start)
            }
            guard let last = batch.lastKey else { break }
            report.rows += batch.movedRows
            report.values += batch.movedValues
            report.batches += 1
            progress(report)
            after = last
        }
        if report.values > 0 { database.invalidateSchema() }
        return report
    }

    /// Runs the backfills of an applied revision again (after an interrupted run: their
    /// conditions select only the rows still to do). Returns the rows updated.
    public func rerunBackfills(of target: String, progress: (MigrationEvent) -> Void = { _ in }) throws -> Int {
        guard case .revisions(let ids) = try graph.resolve(target, current: try readVersions()), ids.count == 1,
              let id = ids.first, let migration = graph.migration(id)
        else { throw MigrationError.invalidTarget(target, reason: "name one revision") }
        let step = MigrationStep(migration: migration, direction: .upgrade, removedVersions: [], addedVersions: [])
        var rows = 0
        for backfill in step.backfills {
            rows += try database.write { connection in
                try backfill.run(on: connection) { rows, batches in
                    progress(.backfilled(step, table: backfill.table, rows: rows, batches: batches))
                }.rows
            }
        }
        return rows
    }
}
