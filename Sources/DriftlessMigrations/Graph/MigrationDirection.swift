/// Whether a migration is being applied or reverted.
public enum MigrationDirection: String, Sendable, Hashable {
    case upgrade
    case downgrade
}
