import DriftlessMigrations
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive `flock` on a file, held while a body runs: released by the kernel when the
/// process dies, so a killed migrator never leaves it behind.
struct MigrationFileLock {
    let path: String

    /// Waits (polling) until the lock is free or the deadline passes.
    func withLock<T>(until deadline: ContinuousClock.Instant, onTimeout: () -> Error, _ body: () throws -> T) throws -> T {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw MigrationError.unsupportedOperation("cannot open the migration lock file \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard ContinuousClock.now < deadline else { throw onTimeout() }
            Thread.sleep(forTimeInterval: 0.05)
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }
}
