import Foundation

/// One job as `list` and `show` see it.
public struct SpoolEntry: Sendable, Equatable {
    public var id: String
    public var state: JobState
    /// Send attempts made so far.
    public var attempts: Int
    /// When the job first entered the spool.
    public var queuedAt: Date?
    /// When the job is next due (deferred jobs).
    public var nextAttemptAt: Date?
    /// The last error, the failure reason or the hold reason.
    public var lastError: String?
    /// Recipients after de-duplication; nil when the file is not a valid job or was not read.
    public var recipients: Int?
    /// Bytes on disk.
    public var size: Int?
    /// For held jobs: `operator` or `worker`.
    public var heldBy: String?
    /// For jobs held by a worker: the integration (0: the job named none).
    public var integration: Int?
    /// For active jobs: the worker folder holding the claim.
    public var worker: String?
    /// For failed jobs: the field at fault and the last HTTP status.
    public var field: String?
    public var httpStatus: Int?
    /// For sent jobs: when, and SendGrid's message ID.
    public var sentAt: Date?
    public var messageID: String?
    /// Set when the entry is not a regular job file (what `failed/` keeps of unsafe entries).
    public var unsafe: Bool

    public init(id: String, state: JobState, attempts: Int = 0) {
        self.id = id
        self.state = state
        self.attempts = attempts
        self.unsafe = false
    }
}

/// Counts per state and the times an operator watches (`status`).
public struct StateCounts: Sendable, Equatable {
    public var ready = 0
    public var active = 0
    public var deferred = 0
    public var held = 0
    public var failed = 0
    /// Records of jobs sent in the last 7 days (older ones are pruned).
    public var sent = 0
    /// When the job that has waited longest in ready became ready.
    public var oldestReadySince: Date?
    /// The earliest due time of a deferred job.
    public var nextRetryAt: Date?
    /// Worker processes holding a claim folder now.
    public var workersAlive = 0

    public init() {}

    public func count(_ state: JobState) -> Int {
        switch state {
        case .ready: ready
        case .active: active
        case .deferred: deferred
        case .held: held
        case .failed: failed
        case .sent: sent
        }
    }
}

/// What an operator action did to one job.
public struct OperatorResult: Sendable, Equatable {
    public enum Action: String, Sendable {
        case requeued, held, released, deleted
    }

    public var id: String
    public var action: Action
    /// The state the job was in before.
    public var from: JobState

    public init(id: String, action: Action, from: JobState) {
        self.id = id
        self.action = action
        self.from = from
    }
}
