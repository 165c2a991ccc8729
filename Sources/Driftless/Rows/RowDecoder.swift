/// The `Decoder` behind the `Decodable` convenience path of ``Record``.
///
/// Property names match columns exactly, case-insensitively, or in snake_case. Matching a
/// name is done once per plan layout, not per row: synthesized `init(from:)` asks for the
/// same keys in the same order on every row, so the layout remembers the column each
/// request resolved to (``CodingKeyColumns``), and later rows only check that the key is
/// the one remembered. The common property types decode through their own container
/// methods, without a dynamic cast.
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
        /// What earlier rows of this layout resolved, request by request.
        private let known: [CodingKeyColumns.Resolved]
        /// How many keys this row has asked for.
        private var requests = 0
        /// The column after the last one found, tried first for the next key.
        private var nextIndex = 0

        init(row: Row) {
            self.row = row
            known = row.layout.codingKeyColumns.resolved(for: Key.self)
        }

        var codingPath: [any CodingKey] { [] }
        var allKeys: [Key] { (0..<row.count).compactMap { Key(stringValue: row.columnName(at: $0)) } }

        func contains(_ key: Key) -> Bool { index(of: key) != nil }

        /// The column of a key: as an earlier row resolved the same request, else by name.
        private func index(of key: Key) -> Int? {
            let request = requests
            requests += 1
            if request < known.count, known[request].name == key.stringValue { return known[request].index }
            let index = Self.resolve(key.stringValue, in: row, after: nextIndex)
            if request >= known.count {
                row.layout.codingKeyColumns.learn(.init(name: key.stringValue, index: index), at: request, for: Key.self)
            }
            return index
        }

        /// Same name, else same name ignoring case, else the snake_case form of the name
        /// (`createdAt` → `created_at`). `guess` is tried first.
        private static func resolve(_ name: String, in row: Row, after guess: Int) -> Int? {
            if guess < row.count, row.columnName(at: guess) == name { return guess }
            if let exact = (0..<row.count).first(where: { row.columnName(at: $0) == name }) { return exact }
            let lowered = name.lowercased()
            let snake = snakeCased(name)
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
            row.isNull(at: try requireIndex(of: key))
        }

        @inline(__always)
        private func decodeValue<T: DatabaseValueConvertible>(_ type: T.Type, forKey key: Key) throws -> T {
            try row.decode(T.self, at: try requireIndex(of: key))
        }

        @inline(__always)
        private func decodeValueIfPresent<T: DatabaseValueConvertible>(_ type: T.Type, forKey key: Key) throws -> T? {
            guard let index = index(of: key) else { return nil }
            nextIndex = index + 1
            if row.isNull(at: index) { return nil }
            return try row.decode(T.self, at: index)
        }

        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decodeValue(type, forKey: key) }
        func decode(_ type: String.Type, forKey key: Key) throws -> String { try decodeValue(type, forKey: key) }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decodeValue(type, forKey: key) }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decodeValue(type, forKey: key) }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decodeValue(type, forKey: key) }
        func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decodeValue(type, forKey: key) }
        func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decodeValue(type, forKey: key) }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decodeValue(type, forKey: key) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decodeValue(type, forKey: key) }
        func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decodeValue(type, forKey: key) }
        func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decodeValue(type, forKey: key) }
        func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decodeValue(type, forKey: key) }

        func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try decodeValueIfPresent(type, forKey: key) }
        func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try decodeValueIfPresent(type, forKey: key) }
        func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try decodeValueIfPresent(type, forKey: key) }
        func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try decodeValueIfPresent(type, forKey: key) }
        func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try decodeValueIfPresent(type, forKey: key) }
        func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try decodeValueIfPresent(type, forKey: key) }
        func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try decodeValueIfPresent(type, forKey: key) }
        func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try decodeValueIfPresent(type, forKey: key) }
        func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try decodeValueIfPresent(type, forKey: key) }
        func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try decodeValueIfPresent(type, forKey: key) }
        func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try decodeValueIfPresent(type, forKey: key) }
        func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try decodeValueIfPresent(type, forKey: key) }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            let index = try requireIndex(of: key)
            return try decode(T.self, at: index)
        }

        private func decode<T: Decodable>(_ type: T.Type, at index: Int) throws -> T {
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
            nextIndex = index + 1
            if row.isNull(at: index) { return nil }
            return try decode(T.self, at: index)
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
