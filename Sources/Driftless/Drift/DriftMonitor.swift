import Logging
import Metrics
import Synchronization

/// Reports drift without flooding: one warning per table and set of missing columns when it
/// is first seen, one notice when that table's drift clears.
final class DriftMonitor: Sendable {
    private let logger: Logger
    private let logsValues: Bool
    /// The missing-column set last reported per record and table.
    private let reported = Mutex<[ReportKey: [String]]>([:])

    private struct ReportKey: Hashable {
        let record: ObjectIdentifier
        let table: TableName
    }

    init(logger: Logger, logsValues: Bool) {
        self.logger = logger
        self.logsValues = logsValues
    }

    /// Notes the mode of a freshly compiled plan.
    func observe(_ plan: Plan, recordName: String) {
        let key = ReportKey(record: plan.key.record, table: plan.table)
        let missing: [String]
        switch plan.mode {
        case .full: missing = []
        case .projected(let columns): missing = columns
        case .tableMissing: missing = ["*"]
        }
        let previous = reported.withLock { reported -> [String]? in
            let previous = reported[key]
            reported[key] = missing
            return previous
        }
        guard previous != missing else { return }
        switch plan.mode {
        case .full:
            if previous != nil {
                logger.notice("drift cleared: table now has every declared column",
                              metadata: ["table": "\(plan.table)", "record": "\(recordName)"])
            }
        case .projected(let columns):
            logger.warning("schema drift: table lacks declared columns; reading their defaults",
                           metadata: ["table": "\(plan.table)", "record": "\(recordName)",
                                      "missing": "\(columns.joined(separator: ", "))"])
        case .tableMissing:
            logger.warning("schema drift: table does not exist; reads return nothing, writes fail",
                           metadata: ["table": "\(plan.table)", "record": "\(recordName)"])
        }
    }

    /// Reports a value dropped because the database lacks its column: counted always,
    /// logged under the ``MissingColumnWritePolicy/warn`` policy.
    func droppedValue(table: TableName, column: String, key: String, value: DatabaseValue,
                      policy: MissingColumnWritePolicy) {
        Counter(label: "driftless_dropped_values_total",
                dimensions: [("table", table.description), ("column", column)]).increment()
        guard policy == .warn else { return }
        logger.warning("dropped a value for a column the database lacks",
                       metadata: ["table": "\(table)", "column": "\(column)", "key": "\(key)",
                                  "value": "\(logsValues ? value.description : value.redactedDescription)"])
    }
}
