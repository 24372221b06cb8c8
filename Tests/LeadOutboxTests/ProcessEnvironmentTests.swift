import Foundation
import Testing

@testable import LeadOutbox

/// The environment read from `environ` (for start-up time) is the one Foundation reads.
@Suite("process environment")
struct ProcessEnvironmentTests {
    @Test func itIsTheEnvironmentFoundationReads() {
        let ours = ProcessEnvironment.current()
        #expect(!ours.isEmpty)
        #expect(ours == ProcessInfo.processInfo.environment)
    }
}
