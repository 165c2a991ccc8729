import Foundation

/// A node of the revision graph: an id, a message and the revisions it follows.
public struct Revision: Sendable, Hashable {
    /// A unique id, usually 12 random hex digits (`ae1027a6acf4`).
    public var id: String
    /// What the revision does, for `history`, progress lines and file names.
    public var message: String
    /// The revisions this one follows: none for a root, several for a merge.
    public var parents: [String]
    /// Names for the branch this revision starts or continues (`label@head` targets).
    public var branchLabels: Set<String>
    /// Revisions that must be applied first without being parents (cross-branch dependencies).
    public var dependsOn: [String]
    /// When the revision was written (`-- created:` in a SQL file, Alembic's "Create Date"),
    /// if known; shown by `history --verbose` and `show`.
    public var createdAt: Date?

    public init(
        id: String, message: String, parents: [String] = [], branchLabels: Set<String> = [], dependsOn: [String] = [],
        createdAt: Date? = nil
    ) {
        self.id = id
        self.message = message
        self.parents = parents
        self.branchLabels = branchLabels
        self.dependsOn = dependsOn
        self.createdAt = createdAt
    }
}

extension Revision {
    /// `2025-12-02 09:41:07 UTC`: how dates read in `history` and `show`.
    public static func format(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        return "\(String(format: "%04d", parts.year ?? 0))-\(two(parts.month))-\(two(parts.day)) "
            + "\(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) UTC"
    }
}
