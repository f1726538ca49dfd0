import Foundation

/// The delivery loop's scheduling state, in one value with pure transitions (the shape of AsyncHTTPClient's
/// `Transaction+StateMachine`). The worker keeps it under one lock; every decision reads and changes it there
/// and gets back what to do, so the invariants live in one place and each transition is tested without I/O.
///
/// What it knows: free capacity and the claims in flight; outcomes being recorded and those the queue refused
/// for now (kept with their claims, retried with backoff); whether new ready jobs may be waiting; whether a stop
/// or a reload was asked for; when the earliest deferred job is due.
struct WorkerState: Sendable {
    /// An outcome the queue could not take yet (a full disk), kept with its claim until it can.
    struct Kept: Sendable {
        var claim: JobClaim
        var outcome: QueueOutcome
        /// The log line still to write; nil once written.
        var event: DeliveryEvent?
    }

    /// What the loop does next.
    enum Step: Equatable {
        /// Claim up to `limit` jobs; `ticket` goes back to `claimed(_:limit:ticket:)`.
        case claim(limit: Int, ticket: Int)
        /// Nothing to do until a signal or a timer.
        case wait
        /// `--drain` is done unless deferred jobs remain: the loop asks the queue, then ends or waits.
        case finishUnlessDeferred
        /// `--once` is done, or a stop was asked for: leave the loop.
        case finish
    }

    static let firstRetryDelay = Duration.milliseconds(100)
    static let longestRetryDelay = Duration.seconds(2)

    let concurrency: Int
    let mode: WorkerOptions.Mode
    private(set) var stopping = false
    private(set) var inFlight: [String: JobClaim] = [:]
    /// Outcomes taken out of the in-flight set (or the kept ones) and not yet in their next state.
    private(set) var recording = 0
    private(set) var kept: [Kept] = []
    /// When the kept outcomes are tried again.
    private(set) var retryAt: ContinuousClock.Instant?
    private var retryDelay = firstRetryDelay
    /// Raised by inotify, rescans, promotions and releases; lowered by a claim pass that came up short, but only
    /// for the raises that pass could have seen, so a job published while a pass runs is never forgotten.
    private var readyRaised = 1
    private var readyCleared = 0
    private(set) var reloadRequested = false
    private(set) var registryChanged = false
    /// The earliest deferred due time known (from a scan, or a deferral of this worker's since).
    private(set) var nextDeferredDue: Date?
    /// A promotion reads all of `deferred/`, so the next may start only this late (see `promoted(took:)`).
    private(set) var promotionAllowedAt = ContinuousClock.now

    init(concurrency: Int, mode: WorkerOptions.Mode) {
        self.concurrency = concurrency
        self.mode = mode
    }

    var mayHoldReadyJobs: Bool { readyRaised > readyCleared }
    /// No send in flight, no outcome being recorded or kept.
    var isIdle: Bool { inFlight.isEmpty && recording == 0 && kept.isEmpty }

    // MARK: The loop

    /// What to do now. While an outcome waits for the disk nothing is claimed: new claims would only pile up more.
    mutating func next() -> Step {
        if stopping { return .finish }
        let capacity = concurrency - inFlight.count
        if capacity > 0 && kept.isEmpty && mayHoldReadyJobs { return .claim(limit: capacity, ticket: readyRaised) }
        guard isIdle && !mayHoldReadyJobs else { return .wait }
        switch mode {
        case .daemon: return .wait
        case .once: return .finish
        case .drain: return .finishUnlessDeferred
        }
    }

    /// A claim pass for `limit` took `claims`. Returns the claims to send; after a stop was asked for, none:
    /// the loop puts them back untouched, so no send ever starts after the stop.
    mutating func claimed(_ claims: [JobClaim], limit: Int, ticket: Int) -> [JobClaim] {
        if claims.count < limit { readyCleared = max(readyCleared, ticket) }
        guard !stopping else { return [] }
        for claim in claims { inFlight[claim.id] = claim }
        return claims
    }

    /// A claim pass failed: the hint is lowered until something raises it again.
    mutating func claimFailed(ticket: Int) {
        readyCleared = max(readyCleared, ticket)
    }

    mutating func raiseReady() {
        readyRaised += 1
    }

    mutating func requestReload() {
        reloadRequested = true
    }

    /// Whether a reload was asked for (SIGHUP) since the last call.
    mutating func takeReloadRequest() -> Bool {
        defer { reloadRequested = false }
        return reloadRequested
    }

    /// The registry file changed (inotify or a rescan saw a new stamp).
    mutating func noteRegistryChanged() {
        registryChanged = true
    }

    mutating func takeRegistryChange() -> Bool {
        defer { registryChanged = false }
        return registryChanged
    }

    mutating func noteDeferred(until date: Date) {
        if nextDeferredDue.map({ date < $0 }) ?? true { nextDeferredDue = date }
    }

    /// Whether deferred jobs should be promoted now: on a rescan (`force`), or when the earliest is due and the
    /// last promotion's throttle has passed.
    func shouldPromote(now: Date, clock: ContinuousClock.Instant, force: Bool) -> Bool {
        if force { return true }
        guard let due = nextDeferredDue, due <= now else { return false }
        return clock >= promotionAllowedAt
    }

    /// A promotion pass ended after `took`, and found `next` the earliest due time left. The next pass waits at
    /// least twenty times as long (100 ms at least): a few jobs retry promptly, a million don't turn the loop
    /// into a folder scanner.
    mutating func promoted(next: Date?, took: Duration, now: ContinuousClock.Instant) {
        nextDeferredDue = next
        promotionAllowedAt = now + max(.milliseconds(100), took * 20)
    }

    // MARK: Outcomes

    /// A send ended: takes its claim out of the in-flight set to record the outcome. False when shutdown has
    /// already put the claim back; the outcome is then dropped and the job left alone.
    mutating func sendFinished(_ id: String) -> Bool {
        guard inFlight.removeValue(forKey: id) != nil else { return false }
        recording += 1
        return true
    }

    /// An outcome taken by `sendFinished` or `takeKeptIfDue` is recorded, kept, or given up.
    mutating func recordingEnded() {
        recording -= 1
        if kept.isEmpty { retryDelay = Self.firstRetryDelay }
    }

    /// The queue refused an outcome for now: keep it with its claim and retry after the current delay.
    mutating func keep(_ entry: Kept, now: ContinuousClock.Instant) {
        kept.append(entry)
        if retryAt == nil { retryAt = now + retryDelay }
    }

    /// The kept outcomes, when their retry is due; each counts as being recorded until `recordingEnded`.
    mutating func takeKeptIfDue(now: ContinuousClock.Instant) -> [Kept] {
        guard let due = retryAt, now >= due else { return [] }
        retryAt = nil
        retryDelay = min(retryDelay * 2, Self.longestRetryDelay)
        let entries = kept
        kept = []
        recording += entries.count
        return entries
    }

    // MARK: Stopping

    /// SIGTERM/SIGINT (or a test): no claim from now on; in-flight sends may finish within the grace period.
    mutating func stop() {
        stopping = true
    }

    /// At the end of the grace period: the claims still in flight, removed (their sends' outcomes are dropped).
    mutating func abandonInFlight() -> [JobClaim] {
        defer { inFlight.removeAll() }
        return Array(inFlight.values)
    }

    /// At shutdown: the kept outcomes, removed; their claims go back to ready.
    mutating func abandonKept() -> [Kept] {
        defer {
            kept.removeAll()
            retryAt = nil
        }
        return kept
    }
}
