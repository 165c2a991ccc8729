import Foundation

/// One process registered in the fleet table (`driftless_fleet`): what its records expect,
/// its release, where it runs and when it was last heard from.
public struct FleetMember: Sendable, Hashable, CustomStringConvertible {
    /// A random id per registration.
    public var id: String
    /// The release string the process registered with (`2.4.1`, a commit).
    public var release: String
    public var host: String
    public var pid: Int64
    /// ``FleetSchema/fingerprint`` of ``schema``.
    public var fingerprint: String
    public var schema: FleetSchema
    public var started: Date
    public var heartbeat: Date
    /// When the entry stops counting unless a heartbeat renews it.
    public var expires: Date

    /// Whether the entry counts at `date`: its last heartbeat has not expired.
    public func isLive(at date: Date = Date()) -> Bool { expires > date }

    public var description: String {
        "\(release) on \(host) (pid \(pid)), schema \(fingerprint), last heartbeat \(heartbeat)"
    }
}
