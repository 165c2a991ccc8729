import Synchronization

/// The columns a layout's rows resolved coding keys to, per `CodingKey` type and in the
/// order the keys were asked for: what lets ``RowDecoder`` match names once per plan
/// layout rather than once per row.
///
/// A request is remembered only at the end of the sequence known so far, so a decoder
/// whose keys vary from row to row still resolves each by name (and the sequence stays
/// bounded).
final class CodingKeyColumns: Sendable {
    struct Resolved: Sendable {
        let name: String
        let index: Int?
    }

    /// The most requests remembered per key type.
    private let limit: Int
    private let sequences = Mutex<[ObjectIdentifier: [Resolved]]>([:])

    init(columnCount: Int) {
        limit = 4 * columnCount + 16
    }

    /// The requests resolved so far for a key type.
    func resolved(for key: Any.Type) -> [Resolved] {
        sequences.withLock { $0[ObjectIdentifier(key)] ?? [] }
    }

    /// Remembers the resolution of request `position`, if it extends the known sequence.
    func learn(_ resolved: Resolved, at position: Int, for key: Any.Type) {
        sequences.withLock { sequences in
            let id = ObjectIdentifier(key)
            let count = sequences[id]?.count ?? 0
            guard count == position, count < limit else { return }
            sequences[id, default: []].append(resolved)
        }
    }
}
