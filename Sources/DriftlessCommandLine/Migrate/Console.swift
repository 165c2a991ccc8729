import Foundation

/// Unbuffered output, so that progress shows while a migration runs and survives a kill.
enum Console {
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func line(_ text: String = "") {
        write(text + "\n")
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// `12 ms`, `3.4 s`.
    static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let milliseconds = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        return milliseconds < 1000 ? "\(Int(milliseconds.rounded())) ms" : "\((milliseconds / 100).rounded() / 10) s"
    }

    /// How version rows read in messages: `e5`, `b2, c3`, or `base (nothing applied)`.
    static func describe(_ rows: [String]) -> String {
        rows.isEmpty ? "base (nothing applied)" : rows.joined(separator: ", ")
    }
}
