import Foundation

/// The row every contender decodes into: a 10-column table (`id` + 9 columns mixing
/// TEXT, INTEGER and REAL, two of them nullable).
struct Item: Sendable, Equatable {
    var id: Int64
    var name: String
    var email: String?
    var age: Int64
    var score: Double
    var city: String
    var country: String
    var visits: Int64
    var balance: Double
    var note: String?
}

/// The same row as newer code declares it: `plan` shipped ahead of its migration, so the
/// table lacks it and it reads as its default, `"free"`.
struct DriftedItem: Sendable, Equatable {
    var id: Int64
    var name: String
    var email: String?
    var age: Int64
    var score: Double
    var city: String
    var country: String
    var visits: Int64
    var balance: Double
    var note: String?
    var plan: String
}

enum Fixture {
    static let rowCount = 10_000

    static let createTable = """
        CREATE TABLE items (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            email TEXT,
            age INTEGER NOT NULL,
            score REAL NOT NULL,
            city TEXT NOT NULL,
            country TEXT NOT NULL,
            visits INTEGER NOT NULL,
            balance REAL NOT NULL,
            note TEXT
        )
        """

    static let columnList = "id, name, email, age, score, city, country, visits, balance, note"
    /// The columns as Driftless quotes them (DQS is off everywhere, so quoting is exact).
    static let selectByKey = "SELECT \(columnList) FROM items WHERE id = ?"
    static let selectAll = "SELECT \(columnList) FROM items"
    static let insert = "INSERT INTO items (\(columnList)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    /// What the naive pattern tries first: the statement naming the missing column.
    static let driftedSelectByKey = "SELECT \(columnList), plan FROM items WHERE id = ?"
    static let driftedSelectAll = "SELECT \(columnList), plan FROM items"
    static let driftedInsert = "INSERT INTO items (\(columnList), plan) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"

    private static let cities = ["Paris", "Lyon", "Marseille", "Toulouse", "Nice", "Nantes", "Lille", "Rennes"]
    private static let countries = ["FR", "BE", "CH", "CA"]

    static func item(_ i: Int) -> Item {
        Item(
            id: Int64(i),
            name: "user \(i)",
            email: i % 3 == 0 ? nil : "user\(i)@example.com",
            age: Int64(18 + i % 60),
            score: Double(i % 1000) / 7,
            city: cities[i % cities.count],
            country: countries[i % countries.count],
            visits: Int64(i * 7 % 1000),
            balance: Double(i) * 1.25,
            note: i % 5 == 0 ? "a short note about user \(i)" : nil)
    }

    static let items: [Item] = (1...rowCount).map(item)
    static let driftedItems: [DriftedItem] = items.map { DriftedItem(item: $0) }

    /// Primary keys in a fixed pseudo-random order (the same for every contender), so that
    /// fetch-one lookups do not walk the B-tree sequentially.
    static let keys: [Int64] = {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var keys = (1...Int64(rowCount)).map { $0 }
        for index in stride(from: keys.count - 1, to: 0, by: -1) {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            keys.swapAt(index, Int(state >> 33) % (index + 1))
        }
        return keys
    }()

    /// A new directory for one benchmark's database file.
    static func newDatabasePath() throws -> String {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("driftless-bench-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent("bench.sqlite").path
    }

    static func removeDatabase(at path: String) {
        try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
    }
}

extension DriftedItem {
    init(item: Item, plan: String = "free") {
        self.init(id: item.id, name: item.name, email: item.email, age: item.age, score: item.score,
                  city: item.city, country: item.country, visits: item.visits, balance: item.balance,
                  note: item.note, plan: plan)
    }
}

/// Cycles through ``Fixture/keys``.
final class KeyCursor {
    private var index = 0
    func next() -> Int64 {
        let key = Fixture.keys[index]
        index = index + 1 == Fixture.keys.count ? 0 : index + 1
        return key
    }
}

/// Holds a benchmark's state between its setup hook, its iterations and its teardown.
final class Box<Value> {
    var value: Value?
    var unwrapped: Value { value! }
}

struct BenchmarkFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
