import ArgumentParser
import Foundation

/// A problem with what a command was pointed at (no database, a folder that does not exist,
/// an unsupported URL), found while running it.
///
/// ArgumentParser prints it as one `Error: ...` line and exits with status 1, where a
/// `ValidationError` would add the usage text: these are not mistakes in the command's
/// syntax, so the usage would only bury the message.
struct CommandLineError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }

    /// Runs `body`, turning any error other than ArgumentParser's own into one line: what
    /// libpq and the server say can run over several lines (`\n\tIs the server running...`),
    /// and a command's error is printed as a single `Error: ...` line.
    static func oneLine<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ExitCode {
            throw error
        } catch let error as CleanExit {
            throw error
        } catch let error as ValidationError {
            throw error
        } catch {
            let lines = "\(error)".split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            throw CommandLineError(lines.filter { !$0.isEmpty }.joined(separator: " "))
        }
    }
}
