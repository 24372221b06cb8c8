import TestSupport
import Testing

@testable import ParamantraAPI

@Suite("Retry policy")
struct RetryPolicyTests {
    let policy = RetryPolicy.standard

    @Test func doublesFromThirtySecondsWithinTheJitter() {
        var random = SeededGenerator(state: 1)
        for (failures, plain) in [(1, 30.0), (2, 60.0), (3, 120.0), (4, 240.0), (5, 480.0)] {
            for _ in 0..<200 {
                let seconds = policy.delay(afterFailures: failures, using: &random).seconds
                #expect(seconds >= plain * 0.8 - 0.001 && seconds <= plain * 1.2 + 0.001)
            }
        }
    }

    @Test func jitterActuallySpreads() {
        var random = SeededGenerator(state: 7)
        let delays = Set((0..<50).map { _ in policy.delay(afterFailures: 3, using: &random) })
        #expect(delays.count > 40)
    }

    @Test func neverPastTheCapEvenForHugeCounts() {
        var random = SeededGenerator(state: 3)
        for failures in [6, 10, 64, 1000, Int.max] {
            let delay = policy.delay(afterFailures: failures, using: &random)
            #expect(delay <= .seconds(900))
            #expect(delay >= .seconds(720))
        }
    }

    @Test func retryAfterIsHonouredUpToTheCap() {
        var random = SeededGenerator(state: 5)
        #expect(policy.delay(afterFailures: 1, retryAfter: .seconds(120), using: &random) == .seconds(120))
        #expect(policy.delay(afterFailures: 1, retryAfter: .seconds(86_400), using: &random) == .seconds(900))
        // A short Retry-After does not make the backoff shorter.
        #expect(policy.delay(afterFailures: 4, retryAfter: .seconds(1), using: &random) >= .seconds(192))
    }

    @Test func noJitterMeansExactWaits() {
        var random = SeededGenerator(state: 9)
        let exact = RetryPolicy(base: .seconds(1), multiplier: 3, cap: .seconds(100), jitter: 0)
        #expect(
            (1...6).map { exact.delay(afterFailures: $0, using: &random) } == [
                .seconds(1), .seconds(3), .seconds(9), .seconds(27), .seconds(81), .seconds(100)
            ])
    }
}
