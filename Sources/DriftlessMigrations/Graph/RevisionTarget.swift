/// Where an upgrade, downgrade or stamp should leave the database, once resolved against the
/// graph (see ``RevisionGraph/resolve(_:current:)``).
public enum RevisionTarget: Sendable, Hashable {
    /// Before every revision: nothing applied.
    case base
    /// These revisions and everything before them applied (`heads`, `ae1027a6acf4`, `+1`).
    case revisions(Set<String>)
    /// Everything before these revisions applied, and they and everything after them not
    /// (`label@base`, or a relative step that goes below a root).
    case below(Set<String>)
}
