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
    /// Keep the value, losslessly, in the table's overflow JSON column
    /// (``RecordSchema/overflowColumn``), where reads and filters of the same release find it
    /// and from which it moves into the real column once that exists. A table without an
    /// overflow column makes such a write throw ``DriftlessError/Code/noOverflowColumn``
    /// (nothing is written), never drop the value.
    case keep
}
