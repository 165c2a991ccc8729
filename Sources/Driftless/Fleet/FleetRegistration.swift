import Foundation
import Synchronization

/// This process's entry in the fleet table, kept alive by heartbeats until ``leave()``.
///
/// Made by ``DatabaseDriver/joinFleet(records:release:timeToLive:)``. The entry expires
/// `timeToLive` after the last heartbeat, so a process that dies (`kill -9`) stops counting
/// by itself; a clean shutdown calls ``leave()`` and is gone at once.
public final class FleetRegistration: Sendable {
    /// The row as last written.
    public var member: FleetMember { state.withLock { $0.member } }
    private let state: Mutex<(member: FleetMember, heartbeats: Task<Void, Never>?)>
    private let remove: @Sendable (String) async throws -> Void

    init(member: FleetMember, remove: @escaping @Sendable (String) async throws -> Void) {
        state = Mutex((member, nil))
        self.remove = remove
    }

    func start(_ heartbeats: Task<Void, Never>) {
        state.withLock { $0.heartbeats = heartbeats }
    }

    func renewed(at date: Date, timeToLive: TimeInterval) -> FleetMember {
        state.withLock { state in
            state.member.heartbeat = date
            state.member.expires = date.addingTimeInterval(timeToLive)
            return state.member
        }
    }

    /// Stops the heartbeats and removes the entry.
    public func leave() async throws {
        let task = state.withLock { state in
            defer { state.heartbeats = nil }
            return state.heartbeats
        }
        task?.cancel()
        _ = await task?.value
        try await remove(member.id)
    }

    deinit {
        state.withLock { $0.heartbeats?.cancel() }
    }
}
