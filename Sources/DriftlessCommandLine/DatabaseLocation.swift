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
        guard !trimmed.isEmpty else { throw CommandLineError("the database location is empty") }
        let lowered = trimmed.lowercased()
        if lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://") {
            self = .postgres(url: trimmed)
        } else if lowered.hasPrefix("sqlite:") {
            let path = String(trimmed.dropFirst(lowered.hasPrefix("sqlite://") ? "sqlite://".count : "sqlite:".count))
            guard !path.isEmpty else { throw CommandLineError("\(trimmed) names no file: use sqlite:PATH") }
            self = .sqlite(path: path)
        } else if let scheme = trimmed.range(of: "://") {
            throw CommandLineError("unsupported database URL scheme '\(trimmed[..<scheme.lowerBound])': use postgres://, sqlite: or a file path")
        } else {
            self = .sqlite(path: trimmed)
        }
    }

    /// Fails with a clear message when a SQLite file cannot be created where it is asked for
    /// (SQLite itself only says "unable to open database file").
    func checkFolderExists() throws {
        guard case .sqlite(let path) = self, !path.hasPrefix("file:"), path != ":memory:" else { return }
        let folder = (path as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        guard folder.isEmpty || (FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) && isDirectory.boolValue) else {
            throw CommandLineError("cannot open the SQLite database \(path): there is no folder \(folder)")
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


