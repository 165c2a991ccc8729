import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The process's peak resident memory, to check that a cursor runs in bounded memory.
///
/// Linux only: the kernel resets `VmHWM` (the peak) to the current resident size when `5`
/// is written to `/proc/self/clear_refs`. Elsewhere ``growth(during:)`` returns nil.
enum PeakMemory {
    /// How far the peak resident size rose above the resident size at the start, in bytes,
    /// while `body` ran; nil where the peak cannot be reset. Tests running in parallel in
    /// the same process count too, so bounds should leave a few megabytes of room; two
    /// measurements never overlap.
    static func growth(during body: () throws -> Void) rethrows -> Int? {
        // One measurement at a time: the peak is the whole process's.
        try measuring.withLock { _ in
            guard reset(), let before = field("VmRSS") else {
                try body()
                return nil
            }
            try body()
            guard let peak = field("VmHWM") else { return nil }
            return (peak - before) * 1024
        }
    }

    /// Runs `body` while no measurement does: for tests that allocate tens of megabytes
    /// (large revision graphs), which would otherwise count in a cursor's measured peak.
    static func withoutMeasuring<T>(_ body: () throws -> T) rethrows -> T {
        try measuring.withLock { _ in try body() }
    }

    private static let measuring = Mutex<Void>(())

    /// glibc's `malloc_trim`, which `malloc.h` declares but the Glibc module does not export.
    private static let trimMalloc: (@convention(c) (Int) -> Int32)? = {
        #if canImport(Glibc)
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
        #else
        return nil
        #endif
    }()

    /// Hands memory the allocator keeps for reuse back to the system first: pages freed by
    /// earlier tests stay resident otherwise, and the body's allocations would land in them
    /// without raising the peak, so a growth that should show would read as none.
    private static func reset() -> Bool {
        _ = trimMalloc?(0)
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        return (try? handle.write(contentsOf: Data("5".utf8))) != nil
    }

    /// A `kB` field of `/proc/self/status`.
    private static func field(_ name: String) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(name + ":") {
            return Int(line.dropFirst(name.count + 1).split(whereSeparator: \.isWhitespace).first ?? "")
        }
        return nil
    }
}
