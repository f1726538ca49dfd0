import MailroomCore

/// How a worker runs (docs/spool.md#running-the-worker): its environment, how many sends in flight, when to stop, how to retry.
public struct WorkerOptions: Sendable {
    /// When `run` returns.
    public enum Mode: String, Sendable {
        /// Runs until SIGTERM/SIGINT, picking jobs up as they are published.
        case daemon
        /// One pass over what is ready and due, then exits.
        case once
        /// Runs until nothing is ready, active or deferred (held and failed jobs don't count).
        case drain
    }

    public var environment: DeliveryEnvironment = .stage
    public var mode: Mode = .daemon
    public var concurrency: Int = 16
    public var retry = RetryPolicy()
    /// How long in-flight sends may finish after SIGTERM before their jobs are put back.
    public var grace: Duration = .seconds(30)
    /// In stage, sends carry `mail_settings.sandbox_mode.enable = true` unless this is off.
    public var sandboxMode = true
    /// Full rescans of the spool and the registry, whatever inotify says.
    public var rescanInterval: Duration = .seconds(2)
    /// How often live workers look for claims of dead ones.
    public var recoveryInterval: Duration = .seconds(30)
    /// The wait before the first probe of an unavailable endpoint, doubled after each failed probe up to
    /// `Outage.longestProbeInterval` (see `Outage`).
    public var probeInterval: Duration = .seconds(5)
    /// Count the queue's jobs per state in the loop, for `/metrics` (see `DeliveryWorker.latestCounts`).
    public var countsJobs = false

    public init() {}

    /// Whether sends of this worker carry sandbox mode.
    public var sendsInSandboxMode: Bool { environment == .stage && sandboxMode }
}
