import ArgumentParser
import Driftless
import DriftlessPostgres
import DriftlessSQLite
import Foundation

/// Where a command's database lives, parsed from `--database` or `DATABASE_URL`.
///
/// `postgres://` and `postgresql://` URLs name a PostgreSQL server; `sqlite:PATH`,
/// `sqlite://PATH` and plain paths name a SQLite file.
enum DatabaseLocation: Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    init(_ text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw ValidationError("the database location is empty") }
        let lowered = trimmed.lowercased()
        if lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://") {
            self = .postgres(url: trimmed)
        } else if lowered.hasPrefix("sqlite://") {
            self = .sqlite(path: String(trimmed.dropFirst("sqlite://".count)))
        } else if lowered.hasPrefix("sqlite:") {
            self = .sqlite(path: String(trimmed.dropFirst("sqlite:".count)))
        } else if let scheme = trimmed.range(of: "://") {
            throw ValidationError("unsupported database URL scheme '\(trimmed[..<scheme.lowerBound])': use postgres://, sqlite: or a file path")
        } else {
            self = .sqlite(path: trimmed)
        }
    }

    /// The location with any password replaced, for printing.
    var description: String {
        switch self {
        case .sqlite(let path): return path
        case .postgres(let url):
            guard var components = URLComponents(string: url), components.password != nil else { return url }
            components.password = "***"
            return components.string ?? url
        }
    }
}


