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

    public init(id: String, message: String, parents: [String] = [], branchLabels: Set<String> = [], dependsOn: [String] = []) {
        self.id = id
        self.message = message
        self.parents = parents
        self.branchLabels = branchLabels
        self.dependsOn = dependsOn
    }
}
