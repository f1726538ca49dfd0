import Synchronization

/// What one Mail Send request should suffer.
struct FaultDecision: Sendable {
    enum Action: Sendable, Equatable {
        /// Process the request normally.
        case none
        /// Close the TCP connection without an answer.
        case drop
        /// Answer 500 with an HTML page instead of JSON.
        case notJSON
        /// Answer this status with SendGrid's body for it.
        case status(Int)
    }

    var latency: Duration?
    var stall: Duration?
    var action: Action = .none
    var retryAfterSeconds: Int?
    var rateLimitResetInSeconds: Int?

    static let none = FaultDecision()
}

/// Holds the current fault plan and consumes it, one decision per Mail Send request.
final class FaultInjector: Sendable {
    private let plan: Mutex<FaultPlan>

    init(_ initial: FaultPlan) {
        plan = Mutex(initial)
    }

    var current: FaultPlan { plan.withLock { $0 } }

    func replace(with newPlan: FaultPlan) {
        plan.withLock { $0 = newPlan }
    }

    /// Decides for a request presenting a key with `keyFingerprint` (nil: no key), consuming
    /// one-shot counters and the next sequence status.
    func decide(keyFingerprint: String?) -> FaultDecision {
        plan.withLock { plan -> FaultDecision in
            if plan.isEmpty { return .none }
            if let scope = plan.keyFingerprint, scope != keyFingerprint { return .none }
            var decision = FaultDecision()
            decision.retryAfterSeconds = plan.retryAfterSeconds
            decision.rateLimitResetInSeconds = plan.rateLimitResetInSeconds
            if plan.latencyMilliseconds > 0 { decision.latency = .milliseconds(plan.latencyMilliseconds) }
            if plan.dropNext > 0 {
                plan.dropNext -= 1
                decision.action = .drop
            } else if plan.stallNext > 0 {
                plan.stallNext -= 1
                decision.stall = .milliseconds(Int64((plan.stallSeconds * 1000).rounded()))
            } else if plan.notJSONNext > 0 {
                plan.notJSONNext -= 1
                decision.action = .notJSON
            } else if !plan.statuses.isEmpty {
                let status = plan.statuses.removeFirst()
                if status != 200 && status != 202 { decision.action = .status(status) }
            } else if plan.failureRate > 0, Double.random(in: 0..<1) < plan.failureRate {
                decision.action = .status(plan.failureStatus)
            }
            return decision
        }
    }
}
