import Driftless
import Foundation
import Testing

/// The old binary's view of `profiles`: the names before the rename.
struct OldProfile: Record, Codable, Equatable {
    var id: Int64
    var name: String
    var doubleTap: Bool
    static let schema = RecordSchema<OldProfile>(table: "profiles") {
        Column("id", \.id, primaryKey: true)
        Column("name", \.name, default: "")
        Column("double_tap", \.doubleTap, default: false)
    }
}

/// The new binary's: `name` became `display_name`, boolean `double_tap` became text
/// `gesture_nav` (true → "tap", false → "none").
struct Profile: Record, Codable, Equatable {
    var id: Int64
    var displayName: String
    var gestureNav: String
    static let schema = RecordSchema<Profile>(table: "profiles") {
        Column("id", \.id, primaryKey: true)
        Column("display_name", \.displayName, default: "", previousNames: ["name"])
        Column("gesture_nav", \.gestureNav, default: "none",
               previousNames: [.converted("double_tap", [true: "tap", false: "none"])])
    }
}

/// A table renamed from `legacy_items` to `items`.
struct Item: Record, Codable, Equatable {
    var id: Int64
    var label: String
    static let schema = RecordSchema<Item>(table: "items", previousNames: ["legacy_items"]) {
        Column("id", \.id, primaryKey: true)
        Column("label", \.label, default: "")
    }
}

/// Renames without downtime: every phase (old only, both, new only), old and new binaries
/// side by side.
enum RenameConformance {
    static func phases<D: TestDatabase>(in db: D, oldBinary other: D) async throws {
        try db.executeRaw("CREATE TABLE profiles (id \(db.sqlType(.integer)) PRIMARY KEY, name \(db.sqlType(.text)) NOT NULL DEFAULT '', double_tap \(db.sqlType(.boolean)) NOT NULL DEFAULT FALSE)")
        let profiles = db.repository(Profile.self)
        let old = other.repository(OldProfile.self)

        // Old only: the new binary reads and writes the old columns, converting.
        try await profiles.insert(Profile(id: 1, displayName: "Ada", gestureNav: "tap"))
        try await profiles.insert(Profile(id: 2, displayName: "Bob", gestureNav: "none"))
        try await old.insert(OldProfile(id: 3, name: "Cy", doubleTap: true))
        #expect(try await old.find(Int64(1)) == OldProfile(id: 1, name: "Ada", doubleTap: true))
        #expect(try await old.find(Int64(2)) == OldProfile(id: 2, name: "Bob", doubleTap: false))
        #expect(try await profiles.find(Int64(3)) == Profile(id: 3, displayName: "Cy", gestureNav: "tap"))
        #expect(try await profiles.count(Profile.filter(\.gestureNav == "tap")) == 2)
        #expect(try await profiles.count(Profile.filter(\.displayName == "Bob")) == 1)
        #expect(try await profiles.fetchAll(Profile.order(.descending(\.displayName))).map(\.id) == [3, 2, 1])
        #expect(try await profiles.planMode() == .full)

        // Expand: both columns exist. The new binary writes both; both binaries read the old.
        try db.executeRaw("ALTER TABLE profiles ADD COLUMN display_name \(db.sqlType(.text))")
        try db.executeRaw("ALTER TABLE profiles ADD COLUMN gesture_nav \(db.sqlType(.text))")
        db.invalidateSchema()
        try await profiles.update(Profile(id: 1, displayName: "Ada L.", gestureNav: "none"))
        try await profiles.upsert(Profile(id: 4, displayName: "Dee", gestureNav: "tap"))
        try await old.update(OldProfile(id: 2, name: "Bobby", doubleTap: true))  // writes only the old columns
        #expect(try await old.find(Int64(1)) == OldProfile(id: 1, name: "Ada L.", doubleTap: false))
        #expect(try await old.find(Int64(4)) == OldProfile(id: 4, name: "Dee", doubleTap: true))
        #expect(try await profiles.find(Int64(2)) == Profile(id: 2, displayName: "Bobby", gestureNav: "tap"))
        #expect(try await profiles.count(Profile.filter(\.gestureNav == "tap")) == 3)
        let newColumns = try await db.repository(RenamedColumns.self).fetchAll(
            sql: "SELECT id, display_name, gesture_nav FROM profiles ORDER BY id", arguments: [])
        #expect(newColumns.map(\.displayName) == ["Ada L.", nil, nil, "Dee"])
        #expect(newColumns.map(\.gestureNav) == ["none", nil, nil, "tap"])

        // Backfill the rows only the old columns hold, then contract: drop the old columns.
        try db.executeRaw("UPDATE profiles SET display_name = name, gesture_nav = CASE WHEN double_tap THEN 'tap' ELSE 'none' END WHERE display_name IS NULL")
        try db.executeRaw("ALTER TABLE profiles DROP COLUMN name")
        try db.executeRaw("ALTER TABLE profiles DROP COLUMN double_tap")
        let expected = [Profile(id: 1, displayName: "Ada L.", gestureNav: "none"), Profile(id: 2, displayName: "Bobby", gestureNav: "tap"),
                        Profile(id: 3, displayName: "Cy", gestureNav: "tap"), Profile(id: 4, displayName: "Dee", gestureNav: "tap")]
        #expect(try await profiles.fetchAll(Profile.order(.ascending(\.id))) == expected)
        try await profiles.update(Profile(id: 3, displayName: "Cyd", gestureNav: "none"))
        #expect(try await profiles.find(Int64(3)) == Profile(id: 3, displayName: "Cyd", gestureNav: "none"))
        #expect(try await profiles.count(Profile.filter(\.gestureNav == "tap")) == 2)
        #expect(try await profiles.planMode() == .full)
    }

    /// A table read and written under its previous name until the rename, then under its own.
    static func tableRename<D: TestDatabase>(in db: D) async throws {
        try db.executeRaw("CREATE TABLE legacy_items (id \(db.sqlType(.integer)) PRIMARY KEY, label \(db.sqlType(.text)) NOT NULL DEFAULT '')")
        let items = db.repository(Item.self)
        try await items.insert(Item(id: 1, label: "one"))
        #expect(try await items.fetchAll() == [Item(id: 1, label: "one")])
        #expect(try await items.count(Item.filter(\.label == "one")) == 1)
        try db.executeRaw("ALTER TABLE legacy_items RENAME TO items")
        try await items.insert(Item(id: 2, label: "two"))
        #expect(try await items.fetchAll(Item.order(.ascending(\.id))) == [Item(id: 1, label: "one"), Item(id: 2, label: "two")])
    }
}

/// The new columns of `profiles`, read raw.
struct RenamedColumns: Record, Codable {
    var id: Int64
    var displayName: String?
    var gestureNav: String?
    static let schema = RecordSchema<RenamedColumns>(table: "profiles") {
        Column("id", \.id, primaryKey: true)
        Column("display_name", \.displayName)
        Column("gesture_nav", \.gestureNav)
    }
}
