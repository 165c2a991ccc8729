/// `RawRepresentable` types with a storable raw value (`String`, `Int`...) are columns by
/// declaring the conformance alone, with nothing to implement:
///
/// ```swift
/// enum Role: String, Codable, DatabaseValueConvertible { case member, admin }
/// ```
///
/// The raw value is stored. A stored value that is no case's raw value does not read as
/// some other case: decoding throws ``DriftlessError/Code/typeMismatch`` naming the table,
/// the column and the row's key, unless the type declares a fallback with
/// ``UnknownRawValueFallback``.
extension DatabaseValueConvertible where Self: RawRepresentable, RawValue: DatabaseValueConvertible {
    public static var columnType: ColumnType { RawValue.columnType }
    public var databaseValue: DatabaseValue { rawValue.databaseValue }
    public var storageProblem: String? { rawValue.storageProblem }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Self? {
        guard let raw = RawValue.fromDatabaseValue(value) else { return nil }
        if let known = Self(rawValue: raw) { return known }
        return (Self.self as? any UnknownRawValueFallback.Type).flatMap { $0.unknownRawValueFallback as? Self }
    }
}

/// A `RawRepresentable` column type that reads a raw value it does not know as one declared
/// case, instead of failing: an old binary meeting a case a newer one added.
///
/// ```swift
/// enum Plan: String, DatabaseValueConvertible, UnknownRawValueFallback {
///     case free, pro, unknown
///     static var unknownRawValueFallback: Plan { .unknown }
/// }
/// ```
public protocol UnknownRawValueFallback {
    /// The value a stored raw value that is no case's reads as.
    static var unknownRawValueFallback: Self { get }
}
