import Foundation
import Spool

/// Where jobs wait between publication and their last state, as the worker sees it: claim some, conclude each
/// with one outcome, recover what dead workers held. The file spool is one (`SpoolQueue`); a database queue
/// (leases instead of claim folders, a transaction instead of log-then-rename) is another, and the worker needs
/// no change for it.
public protocol JobQueue: Sendable {
    /// Claims up to `limit` ready jobs for this worker, each already judged (a job, an unsafe entry, a duplicate).
    func claim(limit: Int) throws -> [JobClaim]

    /// Records `outcome` for `claim`: `event` (when not nil) in the delivery log first, then the state move, so
    /// a crash between the two runs the job again instead of losing it (docs/delivery-log.md#guarantees).
    /// A failure says whether the event was written, and whether it is the disk's (retry later) or the job's.
    func conclude(_ claim: JobClaim, _ outcome: QueueOutcome, event: DeliveryEvent?) throws(ConcludeFailure)

    /// Puts back the claims of workers that died (each logged `requeued` first); returns their IDs.
    func recoverDeadClaims() throws -> [String]

    /// Moves the deferred jobs due by `now` back to ready; returns how many moved.
    func promoteDue(now: Date) throws -> Int

    /// The earliest due time of a deferred job, or nil when none waits.
    func nextDue() throws -> Date?

    /// Moves up to `limit` jobs the worker held for `integration` (0: jobs that named none) back to ready, each
    /// logged with `event(id)` before it moves; returns their IDs.
    func releaseHeld(integration: Int, limit: Int, event: (String) -> DeliveryEvent) throws -> [String]

    /// Jobs per state, for metrics and readiness.
    func counts() throws -> StateCounts

    /// What stops the queue from taking outcomes now (an unwritable folder), one reason each; empty when fine.
    func problems() -> [String]

    /// A folder whose changes may mean new ready jobs, for inotify; nil for a queue that wakes workers otherwise.
    var readyFolder: String? { get }

    /// Reopens the delivery log by name (SIGHUP, after a rotation).
    func reopenLog() throws

    /// Makes what was logged durable and gives up this worker's claim on the queue (at stop).
    func close()
}

/// A job a worker claimed: what the worker needs to send it, and the queue's own handle on the claim.
public struct JobClaim: Sendable {
    /// What the queue found when it claimed the entry.
    public enum Verdict: Sendable, Equatable {
        /// A job file, its bytes read: parse and send it.
        case job
        /// Something that must never be sent (a symlink, a FIFO, a bad name, …): fail it with `reason`.
        case unsafe(reason: String)
        /// Its ID is already elsewhere in the queue or was sent in the last 7 days: drop it.
        case duplicate
    }

    public let id: String
    /// The job's bytes, exactly as published (empty unless `verdict` is `.job`).
    public let data: Data
    /// Send attempts made before this claim.
    public let attempts: Int
    public let firstQueuedAt: Date
    public let lastError: String?
    public let verdict: Verdict
    /// The queue's handle (a spool `Claim`, a database lease); opaque to the worker.
    public let handle: any Sendable

    public init(
        id: String, data: Data, attempts: Int, firstQueuedAt: Date, lastError: String?, verdict: Verdict, handle: any Sendable
    ) {
        self.id = id
        self.data = data
        self.attempts = attempts
        self.firstQueuedAt = firstQueuedAt
        self.lastError = lastError
        self.verdict = verdict
        self.handle = handle
    }
}

/// The state a claim ends in (docs/spool.md#outcomes).
public enum QueueOutcome: Sendable {
    /// Accepted by SendGrid: a small sent record, kept 7 days for duplicate detection.
    case sent(messageID: String?)
    /// Waiting for a retry until `until`, with `attempts` spent.
    case deferred(until: Date, attempts: Int, lastError: String)
    /// Failed for good.
    case failed(FailureReason)
    /// Held by the worker until `integration` can send again (0: the job named none).
    case held(integration: Int, reason: String)
    /// Held for a person, in `held/`: where a job goes that could not reach even `failed/`.
    case setAside(reason: String)
    /// Back to ready, untouched (shutdown, or an outcome that could not be recorded).
    case requeued
    /// A second copy, dropped.
    case duplicate
}

/// Why an outcome was not recorded.
public struct ConcludeFailure: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The disk (or the database) refuses every write alike: keep the claim and try again later.
        case unavailable
        /// The claim is no longer this worker's (shutdown gave it back, or another process moved it).
        case claimLost
        /// This one job cannot move (a permission, something in the way): the job's problem, not the disk's.
        case refused
    }

    public var kind: Kind
    /// Whether the event reached the delivery log before the failure (then it is not written again).
    public var eventRecorded: Bool
    public var underlying: any Error

    public init(_ kind: Kind, eventRecorded: Bool, _ underlying: any Error) {
        self.kind = kind
        self.eventRecorded = eventRecorded
        self.underlying = underlying
    }

    public var description: String { "\(underlying)" }
}
