import Foundation

/// When to try a transiently failed job again, and when to give up (docs/spool.md#outcomes).
///
/// Exponential backoff with full jitter: the n-th retry waits a uniformly random time in
/// `0...min(maximum, base × 2^(n-1))`, which spreads a burst of failures out instead of
/// retrying them in lockstep.
public struct RetryPolicy: Sendable, Equatable {
    public var base: Duration
    public var maximum: Duration
    public var maxAttempts: Int
    public var maxAge: Duration

    public init(base: Duration = .seconds(30), maximum: Duration = .seconds(3600), maxAttempts: Int = 12, maxAge: Duration = .seconds(86400)) {
        self.base = base
        self.maximum = maximum
        self.maxAttempts = maxAttempts
        self.maxAge = maxAge
    }

    /// The longest wait before retry number `attempt` (1-based: the wait after the first failure is attempt 1).
    public func ceiling(afterAttempt attempt: Int) -> Duration {
        let exponent = min(max(attempt - 1, 0), 40)
        let seconds = min(maximum.seconds, base.seconds * pow(2, Double(exponent)))
        return .milliseconds(Int64(seconds * 1000))
    }

    /// A jittered wait before the next try, given how many attempts have been made.
    public func delay<G: RandomNumberGenerator>(afterAttempt attempt: Int, using generator: inout G) -> Duration {
        let ceiling = ceiling(afterAttempt: attempt).seconds
        guard ceiling > 0 else { return .zero }
        return .milliseconds(Int64(Double.random(in: 0...ceiling, using: &generator) * 1000))
    }

    public func delay(afterAttempt attempt: Int) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return delay(afterAttempt: attempt, using: &generator)
    }

    /// Whether a job that has now made `attempts` attempts, first queued at `firstQueued`, must fail instead of retrying.
    public func isExhausted(attempts: Int, firstQueued: Date, now: Date = Date()) -> Bool {
        attempts >= maxAttempts || now.timeIntervalSince(firstQueued) >= maxAge.seconds
    }
}
