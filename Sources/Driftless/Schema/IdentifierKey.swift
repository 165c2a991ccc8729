/// An identifier as the database compares it: its UTF-8 bytes, with ASCII letters
/// lower-cased where identifiers are case-insensitive (SQLite folds ASCII letters only).
///
/// Swift's `String` equality is the wrong test for names: it equates canonically
/// equivalent strings (`é` and `e` followed by U+0301) that both databases keep apart, and
/// `lowercased()` folds letters (`É`) that SQLite does not.
struct IdentifierKey: Hashable, Sendable {
    let bytes: [UInt8]

    init(_ name: String, caseInsensitive: Bool) {
        bytes = caseInsensitive
            ? name.utf8.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0 }
            : Array(name.utf8)
    }
}
