import Foundation

/// `Decimal` is stored exactly, never through `Double`: as its decimal text in a `numeric`
/// column on PostgreSQL and a `TEXT` column on SQLite (SQLite's numeric affinity would turn
/// `1.10` into the double 1.1). On SQLite, comparisons and ordering in SQL are then textual:
/// filter Decimal columns by equality there.
extension Decimal: DatabaseValueConvertible {
    public static var columnType: ColumnType { .decimal }
    public var databaseValue: DatabaseValue { .text(description) }
    public var storageProblem: String? { isNaN ? "NaN is not a decimal number the databases store" : nil }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Decimal? {
        switch value {
        case .integer(let integer): return Decimal(integer)
        case .text(let text):
            let trimmed = text.trimmingSpaces()
            // Only plain decimal notation, read exactly (Decimal(string:) stops at junk silently).
            guard DecimalText(trimmed) != nil, let decimal = Decimal(string: String(trimmed), locale: Locale(identifier: "en_US_POSIX")),
                  !decimal.isNaN
            else { return nil }
            return decimal
        case .real(let real):
            // A double read as a decimal only when its shortest form is exact.
            guard real.isFinite, let exact = Double.exactDouble(Substring(String(real))) else { return nil }
            return Decimal(string: String(exact), locale: Locale(identifier: "en_US_POSIX"))
        case .null, .blob: return nil
        }
    }
}
