/// A name a column had before a rename, for ``Column``'s `previousNames:`, with how its old
/// values read as the new column's.
///
/// While only the old column exists, reads, filters and ordering use it; while both exist,
/// every write goes to both (reads prefer the old one, which every release still writes); once
/// only the new one exists, the previous name is ignored.
///
/// ```swift
/// Column("display_name", \.displayName, default: "", previousNames: ["name"])
/// Column("gesture_nav", \.gestureNav, default: "none",
///        previousNames: [.converted("double_tap", [true: "tap", false: "none"])])
/// ```
///
/// A conversion is a finite mapping from old values to new ones, rendered as SQL `CASE`, so
/// that it applies to filters and ordering as well as reads (a Swift closure could only serve
/// reads). An old value the mapping lacks reads as the column's default. Dual writes store the
/// inverse in the old column when exactly one old value maps to the new one; a new value
/// without an inverse writes NULL there (an old binary then reads its own default).
public struct PreviousName<Value: DatabaseValueConvertible>: Sendable, ExpressibleByStringLiteral {
    let erased: PreviousColumnName

    /// A previous name whose values are the column's as they are.
    public init(_ name: String) {
        erased = PreviousColumnName(name: name, conversion: nil)
    }

    public init(stringLiteral name: String) { self.init(name) }

    /// A previous name of another type, with the value each old value reads as.
    public static func converted<Old: DatabaseValueConvertible & Hashable>(
        _ name: String, _ mapping: [Old: Value]
    ) -> PreviousName {
        // Sorted by the old value's SQL, so that the rendered CASE (and the plan) is stable.
        let pairs = mapping.map { (old: $0.key.databaseValue, new: $0.value.databaseValue) }
            .sorted { "\($0.old)" < "\($1.old)" }
        return PreviousName(erased: PreviousColumnName(
            name: name, conversion: ValueConversion(oldType: Old.columnType, pairs: pairs)))
    }

    private init(erased: PreviousColumnName) { self.erased = erased }
}

/// A previous name with its value type erased, as ``ColumnDefinition`` stores it.
public struct PreviousColumnName: Sendable, Hashable {
    public let name: String
    /// How old values read as new ones; nil when they are the same values.
    public let conversion: ValueConversion?
}

/// A finite mapping from the values of an old column to those of the new one.
public struct ValueConversion: Sendable, Hashable {
    /// The type of the old column, for its literals.
    public let oldType: ColumnType
    public let pairs: [(old: DatabaseValue, new: DatabaseValue)]

    /// The old value a new value is written as in the old column, when exactly one maps to it.
    func inverse(_ new: DatabaseValue) -> DatabaseValue? {
        let olds = pairs.filter { $0.new == new }
        return olds.count == 1 ? olds[0].old : nil
    }

    public static func == (lhs: ValueConversion, rhs: ValueConversion) -> Bool {
        lhs.oldType == rhs.oldType && lhs.pairs.elementsEqual(rhs.pairs) { $0.old == $1.old && $0.new == $1.new }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(oldType)
        for pair in pairs { hasher.combine(pair.old); hasher.combine(pair.new) }
    }
}
