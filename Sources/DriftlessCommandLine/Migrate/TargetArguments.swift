import ArgumentParser

/// Revision targets given as positional arguments, collected with
/// `@Argument(parsing: .allUnrecognized)` so that Alembic's relative steps (`-1`, `-2:head`)
/// read as targets rather than as unknown short options.
enum TargetArguments {
    /// The targets, without a `--` terminator; what looks like an option and is not a
    /// relative step is an unknown option.
    ///
    /// - Parameters:
    ///   - count: How many targets the command takes; nil for one or more.
    ///   - usage: What the command takes, for the error when the count is wrong.
    static func validated(_ raw: [String], command: String, count: Int?, usage: String) throws -> [String] {
        let targets = raw.filter { $0 != "--" }
        if let option = targets.first(where: { $0.hasPrefix("-") && !isRelativeStep($0) }) {
            throw ValidationError("unknown option '\(option)'")
        }
        if targets.isEmpty { throw ValidationError("\(command) needs a target (\(usage))") }
        if let count, targets.count > count {
            throw ValidationError("\(command) takes \(count == 1 ? "one target" : "\(count) targets"), not \(targets.joined(separator: " "))")
        }
        return targets
    }

    /// `-N`, or a range starting with one (`-2:head`).
    static func isRelativeStep(_ text: String) -> Bool {
        let digits = text.dropFirst().prefix { $0.isASCII && $0.isNumber }
        return !digits.isEmpty && (text.count == digits.count + 1 || text.dropFirst(digits.count + 1).first == ":")
    }
}
