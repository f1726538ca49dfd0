import Foundation

/// Tells an outage of an integration's endpoint from a job's own failure, so that an outage costs jobs no
/// attempts (a SendGrid outage, a DNS failure or a broken CA bundle would otherwise fail every queued job
/// for good after `--max-attempts` retries).
///
/// Connection-level failures (refused, reset, DNS, TLS, timeout) and 5xx answers for `threshold` different
/// jobs in a row, with no other answer between them, mark the endpoint unavailable; so do two, when the second
/// failure would otherwise be a job's last attempt (the one failure that cannot be taken back). Then jobs wait without
/// spending attempts, one job at a time goes out as a probe, with backoff between probes, and the first
/// answer that is not such a failure (any 2xx, 4xx or 429) ends the outage. A pure value: the gate holds one
/// per integration under its lock, and its transitions are tested without I/O.
struct Outage: Sendable, Equatable {
    /// How many different jobs must fail in a row before the endpoint counts as unavailable.
    static let threshold = 3
    /// The longest wait between two probes.
    static let longestProbeInterval: TimeInterval = 300

    /// What a job of this integration may do now.
    enum Verdict: Equatable {
        case send
        /// The job goes out as the probe: its outcome decides whether the outage goes on.
        case probe
        /// Unavailable: wait, without spending an attempt, until a probe succeeds.
        case wait(reason: String)
    }

    /// Jobs that failed in a row at the connection level or with a 5xx, while available.
    private(set) var failingJobs: Set<String> = []
    /// The last such failure, for the reason people read.
    private(set) var lastError: String?
    /// When the endpoint was found unavailable; nil while available.
    private(set) var since: Date?
    /// When the next probe may go out.
    private(set) var probeAt: Date?
    /// The job out as the probe now.
    private(set) var probeJob: String?
    /// The wait before the first probe (`--probe-interval`), doubled after each failed probe.
    let firstProbeInterval: TimeInterval
    private var probeInterval: TimeInterval

    init(firstProbeInterval: TimeInterval = 5) {
        self.firstProbeInterval = firstProbeInterval
        probeInterval = firstProbeInterval
    }

    var isUnavailable: Bool { since != nil }

    /// Why jobs wait, for the delivery log, `status` and `/readyz`.
    var reason: String {
        let count = max(failingJobs.count, Self.threshold)
        return "its endpoint is unavailable: \(count) jobs in a row failed at the connection level or with a 5xx "
            + "(last: \(lastError ?? "unknown")); jobs wait without spending attempts until a probe succeeds"
    }

    /// Whether `job` may go out now: the probe may, and any job once a probe is due and none is out.
    mutating func verdict(for job: String, now: Date) -> Verdict {
        guard isUnavailable else { return .send }
        if probeJob == job { return .probe }
        guard probeDue(now: now) else { return .wait(reason: reason) }
        startProbe(job: job, now: now)
        return .probe
    }

    /// Whether a probe should go out now: unavailable, and the last probe failed or was sent long enough ago.
    func probeDue(now: Date) -> Bool {
        guard isUnavailable, let probeAt else { return false }
        return probeAt <= now
    }

    /// Sends `job` out as the probe (nil: no job was waiting; arrivals wait for the next probe time). If its
    /// outcome never comes back here (another worker claimed it), another probe is due after the interval.
    mutating func startProbe(job: String?, now: Date) {
        probeJob = job
        probeAt = now.addingTimeInterval(probeInterval)
    }

    /// What one outcome did to the outage.
    enum Change: Equatable {
        case none
        case began
        case ended
    }

    /// A connection-level failure or a 5xx for `job`; `lastAttempt`: it would fail the job for good.
    mutating func recordFailure(job: String, error: String, lastAttempt: Bool = false, now: Date) -> Change {
        lastError = error
        if isUnavailable {
            if probeJob == job {
                probeJob = nil
                probeInterval = min(probeInterval * 2, Self.longestProbeInterval)
                probeAt = now.addingTimeInterval(probeInterval)
            }
            return .none
        }
        failingJobs.insert(job)
        guard failingJobs.count >= Self.threshold || (lastAttempt && failingJobs.count >= 2) else { return .none }
        since = now
        probeInterval = firstProbeInterval
        probeAt = now.addingTimeInterval(probeInterval)
        return .began
    }

    /// Any other answer: the endpoint answers, whatever it said about the job.
    mutating func recordAnswer() -> Change {
        let wasUnavailable = isUnavailable
        self = Outage(firstProbeInterval: firstProbeInterval)
        return wasUnavailable ? .ended : .none
    }

}
