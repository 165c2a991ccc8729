import ArgumentParser
import Driftless
import DriftlessPostgres
import DriftlessSQLite
import Foundation

/// Where a command's database lives, parsed from `--database` or `DATABASE_URL`, else the
/// `PG*` environment.
///
/// `postgres://` and `postgresql://` URLs name a PostgreSQL server, and so does a libpq
/// keyword string (`dbname=app host=/run/postgresql`: text whose first word is
/// `keyword=`), as ``PostgresConfiguration/init(keywords:maximumConnectionCount:checkoutTimeout:usesUnnamedStatements:drift:)``
/// reads it; `sqlite:PATH`, `sqlite://PATH` and other plain paths name a SQLite file (a file
/// whose name looks like a keyword string is `sqlite:dbname=x`). With neither option nor
/// `DATABASE_URL`, a set `PGDATABASE`, `PGHOST` or `PGSERVICE` names the server libpq's
/// environment points at, as ``PostgresConfiguration/environment(drift:)`` does.
enum DatabaseLocation: Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)
    case postgresKeywords(String)
    case postgresEnvironment

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
        } else if Self.isKeywordString(trimmed) {
            self = .postgresKeywords(trimmed)
        } else if let scheme = trimmed.range(of: "://") {
            throw CommandLineError("unsupported database URL scheme '\(trimmed[..<scheme.lowerBound])': use postgres://, sqlite: or a file path")
        } else {
            self = .sqlite(path: trimmed)
        }
    }

    /// The PostgreSQL configuration of a PostgreSQL location (nil for SQLite), as the library
    /// reads a URL, a keyword string or the environment.
    func postgresConfiguration(maximumConnectionCount: Int, drift: DriftConfiguration) throws -> PostgresConfiguration? {
        do {
            switch self {
            case .sqlite:
                return nil
            case .postgres(let url):
                return try PostgresConfiguration(url: url, maximumConnectionCount: maximumConnectionCount, drift: drift)
            case .postgresKeywords(let keywords):
                return try PostgresConfiguration(keywords: keywords, maximumConnectionCount: maximumConnectionCount, drift: drift)
            case .postgresEnvironment:
                var settings = PostgresConfiguration.environment(drift: drift)
                settings.maximumConnectionCount = maximumConnectionCount
                return settings
            }
        } catch let error as PostgresConfigurationError {
            throw error.databaseError
        }
    }

    /// The environment variables that point libpq at a server when no location is given.
    static let postgresEnvironmentKeys = ["PGDATABASE", "PGHOST", "PGSERVICE"]

    /// Whether text reads as a libpq keyword string: its first word is `keyword=` (letters
    /// and underscores, as every libpq keyword is spelt).
    static func isKeywordString(_ text: String) -> Bool {
        guard let equals = text.firstIndex(of: "=") else { return false }
        let keyword = text[..<equals].trimmingCharacters(in: .whitespaces)
        return !keyword.isEmpty && keyword.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || $0 == "_" }
    }

    /// Fails, for a command that only reads, when the SQLite file does not exist: opening it
    /// would create an empty database where a path was mistyped.
    func checkExistsForReading() throws {
        guard case .sqlite(let path) = self, !path.hasPrefix("file:"), path != ":memory:" else { return }
        guard FileManager.default.fileExists(atPath: path) else {
            throw CommandLineError("there is no SQLite database \(path): this command only reads, so it does not create one "
                                   + "(check the path; upgrade or stamp creates a new database)")
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
        case .postgresKeywords(let keywords):
            // Keyword strings are parsed by the library, which hides secrets in descriptions.
            return (try? PostgresConfiguration(keywords: keywords))?.description ?? "a libpq keyword string"
        case .postgresEnvironment: return "the PostgreSQL server of the PG* environment"
        case .postgres(let url):
            guard var components = URLComponents(string: url), components.password != nil else { return url }
            components.password = "***"
            return components.string ?? url
        }
    }
}


