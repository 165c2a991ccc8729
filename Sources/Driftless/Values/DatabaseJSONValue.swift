import Foundation

/// A `Codable` value stored as a JSON document: `jsonb` on PostgreSQL, `TEXT` on SQLite.
/// Declare the conformance, with nothing to implement:
///
/// ```swift
/// struct Preferences: Codable, Equatable, DatabaseJSONValue { var theme: String; var digest: Bool }
/// ```
///
/// Arrays and dictionaries are stored through ``JSONValue`` (`JSONValue<[String]>`), also a
/// PostgreSQL array's portable form. Keys are written sorted, so equal values are equal text.
/// Filter on a top-level field with `Condition/json(_:_:_:)`.
public protocol DatabaseJSONValue: Codable, DatabaseValueConvertible {}

extension DatabaseJSONValue {
    public static var columnType: ColumnType { .json }
    public var databaseValue: DatabaseValue { JSONCoding.encode(self).map(DatabaseValue.text) ?? .null }
    public var storageProblem: String? {
        JSONCoding.encode(self) == nil ? "the value does not encode as JSON" : nil
    }
    public static func fromDatabaseValue(_ value: DatabaseValue) -> Self? {
        switch value {
        case .text(let text): return try? JSONDecoder().decode(Self.self, from: Data(text.utf8))
        case .blob(let bytes): return try? JSONDecoder().decode(Self.self, from: Data(bytes))
        default: return nil
        }
    }
}

/// Any `Codable` value (an array, a dictionary) as a JSON column.
public struct JSONValue<Wrapped: Codable & Sendable>: DatabaseJSONValue {
    public var value: Wrapped

    public init(_ value: Wrapped) { self.value = value }

    public init(from decoder: any Decoder) throws { value = try Wrapped(from: decoder) }
    public func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}

extension JSONValue: Equatable where Wrapped: Equatable {}
extension JSONValue: Hashable where Wrapped: Hashable {}

enum JSONCoding {
    static func encode(_ value: some Encodable) -> String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) }
    }
}
