import Foundation

extension DatabaseDriver {
    /// Registers this process in the fleet table (`driftless_fleet`, created if needed) with
    /// the schema its records expect and its release, and renews the entry every third of
    /// `timeToLive` until ``FleetRegistration/leave()`` (or the registration is released).
    /// The migrator then refuses a contract step (a drop or rename) that the entry still needs.
    ///
    /// A heartbeat that fails (the database is down) is retried at the next one; the entry
    /// expires if none succeeds within `timeToLive`.
    public func joinFleet(
        records: [any Record.Type], release: String, timeToLive: Duration = .seconds(60)
    ) async throws -> FleetRegistration {
        let ttl = Double(timeToLive.components.seconds) + Double(timeToLive.components.attoseconds) / 1e18
        let now = Date()
        let schema = FleetSchema(records: records)
        let member = FleetMember(
            id: UUID().uuidString.lowercased(), release: release, host: ProcessInfo.processInfo.hostName,
            pid: Int64(ProcessInfo.processInfo.processIdentifier), fingerprint: schema.fingerprint, schema: schema,
            started: now, heartbeat: now, expires: now.addingTimeInterval(ttl))
        try await writing { connection in
            try connection.execute(FleetTable.createSQL(connection.dialect))
            try FleetTable.deleteExpired(before: now, on: connection)
            try FleetTable.write(member, on: connection)
        }
        let registration = FleetRegistration(member: member) { [self] id in
            try await writing { connection in try FleetTable.delete(id: id, on: connection) }
        }
        let interval = timeToLive / 3
        registration.start(Task { [weak registration, self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard !Task.isCancelled, let registration else { return }
                let renewed = registration.renewed(at: Date(), timeToLive: ttl)
                try? await writing { connection in try FleetTable.write(renewed, on: connection) }
            }
        })
        return registration
    }

    /// The processes registered in the fleet table: live ones only unless `includingExpired`.
    public func fleetMembers(includingExpired: Bool = false) async throws -> [FleetMember] {
        let now = Date()
        let members = try await reading { connection in try FleetTable.members(on: connection) }
        return includingExpired ? members : members.filter { $0.isLive(at: now) }
    }
}
