/// What the sandbox should get wrong on purpose, set by flags at start, `POST /faults` (JSON, the
/// snake_case names below) at run time, and cleared by `DELETE /faults`.
///
/// Order of play for each Mail Send request the plan applies to: `latency_ms` is waited first;
/// then one `drop_next` closes the connection without an answer, else one `stall_next` waits
/// `stall_seconds` before answering normally, else one `not_json_next` answers 500 with HTML,
/// else the next of `statuses` is answered (200/202 meaning "process normally"), else
/// `failure_rate` picks `failure_status` at random.
public struct FaultPlan: Sendable, Equatable {
    public var statuses: [Int] = []
    public var failureRate: Double = 0
    public var failureStatus: Int = 503
    public var latencyMilliseconds: Int = 0
    /// Sent as `Retry-After` on 429 answers when set.
    public var retryAfterSeconds: Int?
    /// Sent as `X-RateLimit-Reset` (now + this, epoch seconds) on 429 answers when set.
    public var rateLimitResetInSeconds: Int?
    public var dropNext: Int = 0
    public var stallNext: Int = 0
    public var stallSeconds: Double = 30
    public var notJSONNext: Int = 0
    /// When set, only requests whose key has this fingerprint (`sha256:…`) are faulted.
    public var keyFingerprint: String?

    public init() {}

    /// True when the plan changes nothing.
    public var isEmpty: Bool {
        statuses.isEmpty && failureRate == 0 && latencyMilliseconds == 0 && dropNext == 0 && stallNext == 0 && notJSONNext == 0
    }

    /// Why the plan is not usable, or nil.
    public var problem: String? {
        if let bad = statuses.first(where: { !(100...599).contains($0) }) { return "statuses: \(bad) is not an HTTP status" }
        if !(0...1).contains(failureRate) { return "failure_rate must be between 0 and 1" }
        if !(100...599).contains(failureStatus) { return "failure_status: \(failureStatus) is not an HTTP status" }
        if latencyMilliseconds < 0 { return "latency_ms must not be negative" }
        if let value = retryAfterSeconds, value < 0 { return "retry_after_seconds must not be negative" }
        if let value = rateLimitResetInSeconds, value < 0 { return "ratelimit_reset_in_seconds must not be negative" }
        if dropNext < 0 || stallNext < 0 || notJSONNext < 0 { return "drop_next, stall_next and not_json_next must not be negative" }
        if !(0...86_400).contains(stallSeconds) { return "stall_seconds must be between 0 and 86400" }
        return nil
    }
}
