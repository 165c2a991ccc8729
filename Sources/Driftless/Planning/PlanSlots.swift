import Synchronization

/// Hands each record type its range of fixed slots in the connections' statement caches
/// (``PlanKind/fixedSlot``), once per type: a schema built again (a computed `schema`) finds
/// its type's range rather than taking a new one.
enum PlanSlots {
    private static let bases = Mutex<[ObjectIdentifier: Int]>([:])

    /// The first slot of a record type.
    static func base(for type: Any.Type) -> Int {
        bases.withLock { bases in
            let key = ObjectIdentifier(type)
            if let base = bases[key] { return base }
            let base = bases.count * PlanKind.fixedSlotCount
            bases[key] = base
            return base
        }
    }
}
