/// The `Decoder` behind the `Decodable` convenience path of ``Record``.
///
/// Synthesized `init(from:)` asks for properties in declaration order, which is usually the
/// column order: the decoder tries the next column first and looks the name up only when the
/// guess is wrong, so the convenience path costs little more than `row.decode(at:)`.
/// Property names match columns exactly, case-insensitively, or in snake_case.
struct RowDecoder: Decoder {
    let row: Row
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(KeyedContainer<Key>(row: row))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DriftlessError.invalidQuery(.unsupportedDecoding, detail: "a record decodes from a keyed container, not an unkeyed one")
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw DriftlessError.invalidQuery(.unsupportedDecoding, detail: "a record decodes from a keyed container, not a single value")
    }

    final class KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let row: Row
        private var nextIndex = 0

        init(row: Row) { self.row = row }

        var codingPath: [any CodingKey] { [] }
        var allKeys: [Key] { (0..<row.count).compactMap { Key(stringValue: row.columnName(at: $0)) } }

        func contains(_ key: Key) -> Bool { index(of: key) != nil }

        /// The column of a property: same name, else same name ignoring case, else the
        /// snake_case form of the name (`createdAt` → `created_at`).
        private func index(of key: Key) -> Int? {
            let name = key.stringValue
            if nextIndex < row.count, row.columnName(at: nextIndex) == name { return nextIndex }
            if let exact = (0..<row.count).first(where: { row.columnName(at: $0) == name }) { return exact }
            let lowered = name.lowercased()
            let snake = Self.snakeCased(name)
            return (0..<row.count).first {
                let column = row.columnName(at: $0).lowercased()
                return column == lowered || column == snake
            }
        }

        private static func snakeCased(_ name: String) -> String {
            var result = ""
            for character in name {
                if character.isUppercase, !result.isEmpty { result.append("_") }
                result.append(contentsOf: character.lowercased())
            }
            return result
        }

        private func requireIndex(of key: Key) throws -> Int {
            guard let index = index(of: key) else {
                throw DecodingError.keyNotFound(key, .init(codingPath: [], debugDescription:
                    "\(row.layout.table) declares no column \"\(key.stringValue)\""))
            }
            nextIndex = index + 1
            return index
        }

        func decodeNil(forKey key: Key) throws -> Bool {
            row.databaseValue(at: try requireIndex(of: key)).isNull
        }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            let index = try requireIndex(of: key)
            if let convertible = T.self as? any DatabaseValueConvertible.Type {
                return try row.decode(convertible, at: index) as! T
            }
            let value = row.databaseValue(at: index)
            do {
                return try T(from: ValueDecoder(value: value))
            } catch {
                throw row.decodingError(T.self, at: index, value)
            }
        }

        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
            guard let index = index(of: key) else { return nil }
            if row.databaseValue(at: index).isNull {
                nextIndex = index + 1
                return nil
            }
            return try decode(T.self, forKey: key)
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            throw DriftlessError.invalidQuery(.unsupportedDecoding, detail: "column \"\(key.stringValue)\" cannot decode a nested container; make its type DatabaseValueConvertible")
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            throw DriftlessError.invalidQuery(.unsupportedDecoding, detail: "column \"\(key.stringValue)\" cannot decode a nested container; make its type DatabaseValueConvertible")
        }

        func superDecoder() throws -> any Decoder { RowDecoder(row: row) }
        func superDecoder(forKey key: Key) throws -> any Decoder { RowDecoder(row: row) }
    }
}

/// Decodes one stored value as a single-value container: what `RawRepresentable` enums and
/// other single-value `Decodable` types ask for.
private struct ValueDecoder: Decoder, SingleValueDecodingContainer {
    let value: DatabaseValue
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        throw DecodingError.typeMismatch(type, .init(codingPath: [], debugDescription: "a column holds a single value"))
    }
    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: [], debugDescription: "a column holds a single value"))
    }
    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func decodeNil() -> Bool { value.isNull }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if let convertible = T.self as? any DatabaseValueConvertible.Type,
           let decoded = convertible.fromDatabaseValue(value) {
            return decoded as! T
        }
        if T.self is any DatabaseValueConvertible.Type {
            throw DecodingError.typeMismatch(type, .init(codingPath: [], debugDescription: value.redactedDescription))
        }
        return try T(from: self)
    }
}
