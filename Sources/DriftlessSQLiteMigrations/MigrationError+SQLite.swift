import DriftlessMigrations

extension MigrationError.Code {
    /// A SQLite table rebuild would drop a table other tables reference while foreign keys
    /// are enforced: SQLite would delete or orphan their rows. The runner turns
    /// `PRAGMA foreign_keys` off outside the migration's transaction; do the same when
    /// applying operations yourself. ``MigrationError/related`` lists the referencing tables.
    public static let foreignKeysEnforced = MigrationError.Code("foreignKeysEnforced")
}

extension MigrationError {
    public static func foreignKeysEnforced(table: String, referencedBy: [String]) -> MigrationError {
        MigrationError(
            .foreignKeysEnforced, table: table, related: referencedBy,
            detail: "rebuilding \(table) needs PRAGMA foreign_keys = OFF (set outside the transaction): "
                + "\(referencedBy.joined(separator: ", ")) reference\(referencedBy.count == 1 ? "s" : "") it, "
                + "and dropping the old copy with foreign keys on would delete or orphan their rows")
    }
}
