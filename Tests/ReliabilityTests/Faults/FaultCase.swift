import Foundation
import Testing

/// One row of the fault matrix: what the sandbox does wrong, how the worker is run, and where docs/spool.md#outcomes says
/// every job must end.
struct FaultCase: Sendable, CustomTestStringConvertible {
    /// Where each job must end, and what its log lines and reason must say.
    enum Verdict: Sendable {
        /// `failed` at once (one attempt), reason carrying SendGrid's message.
        case failedAtOnce(status: Int, message: String)
        /// Every request fails this way: an outage, not the jobs' fault. Every job ends `held` for the unavailable
        /// integration, none `failed`, each having spent at most one attempt; `status` says `unavailable`.
        case heldForOutage(status: Int?, message: String)
        /// `deferred` (no HTTP status: the answer never came) for the `faults` faulted attempts, then `sent`; the
        /// sandbox's `counter` (`dropped`, `stalled`) shows them. On a loaded machine a slow answer may time out
        /// too, so at least `faults` deferrals.
        case sentAfterTransportFailures(message: String, counter: String, faults: Int)
        /// `deferred` with this status for the `faults` faulted attempts, then `sent`.
        case sentAfterServerErrors(status: Int, faults: Int)
        /// One job deferred until the rate-limit reset without spending an attempt, then every job `sent`.
        case sentAfterRateLimit(atLeast: Double)
        /// The jobs that met the rate limit wait for the fallback reset (a minute): `deferred`, attempt 0.
        case deferredForFallbackReset
        /// `held`, the integration paused after at most `concurrency` requests with the refused key.
        case heldKeyRefused(status: Int)
    }

    let name: String
    /// The `POST /faults` plan for a run of `jobs` jobs.
    let plan: @Sendable (_ jobs: Int) -> String
    /// Extra `mailroom run` flags.
    let workerArguments: [String]
    /// `--drain`, or `--once` where the wait would be a minute.
    let once: Bool
    let verdict: Verdict

    var testDescription: String { name }

    static let fastRetry = ["--retry-base", "10ms", "--retry-max", "40ms"]

    static func failRate(_ status: Int) -> @Sendable (Int) -> String {
        { _ in #"{"failure_rate": 1, "failure_status": \#(status)}"# }
    }

    static let all: [FaultCase] = [
        FaultCase(
            name: "500", plan: failRate(500), workerArguments: fastRetry + ["--max-attempts", "2"], once: false,
            verdict: .heldForOutage(status: 500, message: "internal server error")),
        FaultCase(
            name: "502", plan: failRate(502), workerArguments: fastRetry + ["--max-attempts", "2"], once: false,
            verdict: .heldForOutage(status: 502, message: "bad gateway")),
        FaultCase(
            name: "503", plan: failRate(503), workerArguments: fastRetry + ["--max-attempts", "2"], once: false,
            verdict: .heldForOutage(status: 503, message: "service unavailable")),
        FaultCase(
            name: "504", plan: failRate(504), workerArguments: fastRetry + ["--max-attempts", "2"], once: false,
            verdict: .heldForOutage(status: 504, message: "gateway timeout")),
        FaultCase(
            name: "429 with X-RateLimit-Reset", plan: { _ in #"{"statuses": [429], "ratelimit_reset_in_seconds": 2}"# },
            workerArguments: fastRetry, once: false, verdict: .sentAfterRateLimit(atLeast: 0.9)),
        FaultCase(
            name: "429 with Retry-After", plan: { _ in #"{"statuses": [429], "retry_after_seconds": 1}"# },
            workerArguments: fastRetry, once: false, verdict: .sentAfterRateLimit(atLeast: 0.9)),
        FaultCase(
            name: "429 without reset headers", plan: { _ in #"{"statuses": [429]}"# }, workerArguments: fastRetry, once: true,
            verdict: .deferredForFallbackReset),
        FaultCase(name: "401", plan: failRate(401), workerArguments: fastRetry, once: false, verdict: .heldKeyRefused(status: 401)),
        FaultCase(name: "403", plan: failRate(403), workerArguments: fastRetry, once: false, verdict: .heldKeyRefused(status: 403)),
        FaultCase(
            name: "400", plan: failRate(400), workerArguments: fastRetry, once: false, verdict: .failedAtOnce(status: 400, message: "Bad Request")),
        FaultCase(
            name: "404", plan: failRate(404), workerArguments: fastRetry, once: false, verdict: .failedAtOnce(status: 404, message: "not found")),
        FaultCase(
            name: "413", plan: failRate(413), workerArguments: fastRetry, once: false,
            verdict: .failedAtOnce(status: 413, message: "content too large")),
        FaultCase(
            name: "timeout on every attempt", plan: { _ in #"{"latency_ms": 1500}"# },
            workerArguments: fastRetry + ["--timeout", "250ms", "--max-attempts", "2"], once: false,
            verdict: .heldForOutage(status: nil, message: "curl error 28")),
        FaultCase(
            name: "dropped connection", plan: { _ in #"{"drop_next": 2}"# }, workerArguments: fastRetry, once: false,
            verdict: .sentAfterTransportFailures(message: "curl error", counter: "dropped", faults: 2)),
        FaultCase(
            name: "stalled response", plan: { _ in #"{"stall_next": 2, "stall_seconds": 2}"# },
            workerArguments: fastRetry + ["--timeout", "400ms"], once: false,
            verdict: .sentAfterTransportFailures(message: "curl error 28", counter: "stalled", faults: 2)),
        FaultCase(
            name: "answer that is not JSON", plan: { _ in #"{"not_json_next": 2}"# }, workerArguments: fastRetry, once: false,
            verdict: .sentAfterServerErrors(status: 500, faults: 2)),
    ]
}
