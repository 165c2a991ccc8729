/// What a write does with a value for a column the database does not have yet.
///
/// A value equal to the column's declared default loses nothing and is always left out
/// quietly; the policy decides only for values that differ from it.
public enum MissingColumnWritePolicy: Sendable, Hashable {
    /// Throw ``DriftlessError/valueRejected(table:column:key:value:)``; nothing is written.
    case reject
    /// Log a warning, count it in `driftless_dropped_values_total`, and write the rest.
    case warn
    /// Write the rest without a word.
    case discard
}
