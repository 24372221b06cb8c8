import Foundation

/// When to try a lead again after a temporary failure: exponential backoff with jitter, capped,
/// with the server's `Retry-After` honoured up to the cap. A value, so the outbox can hold one
/// and tests can check it with a seeded generator.
public struct RetryPolicy: Sendable, Hashable {
    /// The wait after the first failure.
    public var base: Duration
    public var multiplier: Double
    /// No wait is ever longer than this, whatever the attempt count or the server asks.
    public var cap: Duration
    /// Each wait is spread by ±jitter (0.2 = ±20%) so that many clients do not retry in step.
    public var jitter: Double

    public init(
        base: Duration = .seconds(30), multiplier: Double = 2, cap: Duration = .seconds(15 * 60), jitter: Double = 0.2
    ) {
        self.base = base
        self.multiplier = multiplier
        self.cap = cap
        self.jitter = min(max(jitter, 0), 1)
    }

    public static let standard = RetryPolicy()

    /// The wait before attempt `failedAttempts + 1`, after `failedAttempts` (≥ 1) failures.
    public func delay<R: RandomNumberGenerator>(
        afterFailures failedAttempts: Int, retryAfter: Duration? = nil, using random: inout R
    ) -> Duration {
        let capSeconds = cap.seconds
        let exponent = Double(max(0, failedAttempts - 1))
        // pow overflows to +inf for large counts; min() brings it back to the cap.
        let plain = min(capSeconds, base.seconds * pow(multiplier, exponent))
        let spread = plain * jitter
        var seconds = spread > 0 ? Double.random(in: (plain - spread)...(plain + spread), using: &random) : plain
        if let retryAfter { seconds = max(seconds, retryAfter.seconds) }
        seconds = min(max(seconds, 0), capSeconds)
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    public func delay(afterFailures failedAttempts: Int, retryAfter: Duration? = nil) -> Duration {
        var random = SystemRandomNumberGenerator()
        return delay(afterFailures: failedAttempts, retryAfter: retryAfter, using: &random)
    }
}
