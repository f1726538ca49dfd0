import Foundation
import Metrics
import Spool

/// What the worker reports through swift-metrics (Prometheus names, docs/operators-guide.md#metrics-and-health). Labels stay
/// low-cardinality: integration id, environment, outcome and HTTP status — never a recipient or a job.
/// Without a bootstrapped metrics backend every call is a no-op.
public enum WorkerMetrics {
    /// One delivery attempt's outcome: `sent`, `failed`, `deferred`, `held`, `rate_limited`.
    static func delivery(outcome: String, status: Int?, config: ResolvedConfig) {
        Counter(
            label: "mailroom_deliveries_total",
            dimensions: [
                ("integration", String(config.id)), ("environment", config.environment.rawValue), ("outcome", outcome),
                ("status", status.map(String.init) ?? "none"),
            ]
        ).increment()
    }

    /// How long a request to SendGrid took, whatever the answer.
    static func sendDuration(_ duration: Duration, config: ResolvedConfig) {
        let nanoseconds = duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
        Metrics.Timer(label: "mailroom_send_duration_seconds", dimensions: [("integration", String(config.id))])
            .recordNanoseconds(nanoseconds)
    }

    /// A transient failure that will be retried.
    static func retry(config: ResolvedConfig) {
        Counter(label: "mailroom_retries_total", dimensions: [("integration", String(config.id))]).increment()
    }

    /// A 429 that paused the integration.
    static func rateLimitPause(config: ResolvedConfig) {
        Counter(label: "mailroom_rate_limit_pauses_total", dimensions: [("integration", String(config.id))]).increment()
    }

    static func lastSuccess(config: ResolvedConfig, at date: Date) {
        Gauge(label: "mailroom_last_success_timestamp_seconds", dimensions: [("integration", String(config.id))])
            .record(date.timeIntervalSince1970)
    }

    /// Jobs per state and the oldest ready job's age, from a spool scan (called when /metrics is scraped).
    public static func recordSpool(_ counts: StateCounts, now: Date = Date()) {
        for state in JobState.allCases where state != .sent {
            Gauge(label: "mailroom_jobs", dimensions: [("state", state.rawValue)]).record(counts.count(state))
        }
        let age = counts.oldestReadySince.map { max(0, now.timeIntervalSince($0)) } ?? 0
        Gauge(label: "mailroom_oldest_ready_age_seconds").record(age)
    }

    /// Integrations whose endpoint this worker finds unavailable.
    public static func recordUnavailable(_ count: Int) {
        Gauge(label: "mailroom_integrations_unavailable").record(count)
    }

    /// An outage began: an integration's endpoint failed for several jobs in a row.
    static func outage(config: ResolvedConfig) {
        Counter(label: "mailroom_outages_total", dimensions: [("integration", String(config.id))]).increment()
    }

    /// Integrations paused because SendGrid refused their key.
    public static func recordPaused(_ count: Int) {
        Gauge(label: "mailroom_integrations_paused").record(count)
    }
}
