import Foundation
import Testing

/// `try await users.find(1)` in top-level code (the README tour) runs the async API: its
/// statements run off the cooperative pool. (With same-name sync and async overloads, Swift
/// resolves top-level code to the synchronous one.)
@Suite struct TopLevelAwaitTests {
    @Test func topLevelAwaitReachesTheAsyncAPI() throws {
        let app = try ChildProcess(try builtExecutable("DriftlessTopLevelApp"), [])
        let status = app.wait()
        #expect(status == 0, "\(app.output)\(app.errorOutput)")
        #expect(app.output.contains("found: Ada"))
    }
}
