import Foundation

/// A job this process claimed: its file now sits in this worker's own claim folder (`active/<worker>/`),
/// where no other worker touches it while this process lives. Hand it back with exactly one of
/// `markSent`, `deferJob`, `hold`, `fail`, `requeue` or `dropDuplicate`.
public struct Claim: Sendable {
    /// The job ID; for an entry not named `ID.json`, its name as found in `new/`.
    public let id: String
    /// The file's bytes, exactly as published (empty for unsafe entries, which are never read).
    public let data: Data
    /// Send attempts made before this claim.
    public let attempts: Int
    /// When the job first entered the spool.
    public let firstQueuedAt: Date
    /// The error of the last attempt, if any.
    public let lastError: String?
    /// The worker folder holding the claim.
    public let worker: String

    /// The entry in the claim folder (`ID.json`; another name for duplicates and unsafe entries).
    let entry: EntryName
    /// Why the entry is not a job file, for claims handed out as `.unsafe`.
    let unsafeReason: String?
    /// The field at fault in an unsafe entry's reason file: `job` for a file refused as a whole, else nil.
    let unsafeField: String?

    init(
        id: String, data: Data, attempts: Int, firstQueuedAt: Date, lastError: String?, worker: String, entry: EntryName,
        unsafeReason: String? = nil, unsafeField: String? = nil
    ) {
        self.id = id
        self.data = data
        self.attempts = attempts
        self.firstQueuedAt = firstQueuedAt
        self.lastError = lastError
        self.worker = worker
        self.entry = entry
        self.unsafeReason = unsafeReason
        self.unsafeField = unsafeField
    }

    /// Whether the entry is named `ID.json` with a valid ID.
    var hasJobName: Bool { entry.jobID == id }
}

/// One entry claimed from `new/`, already judged, so the worker's `switch` shows every case it must handle.
public enum ClaimedEntry: Sendable {
    /// A safe regular file, its bytes read: parse and send it.
    case job(Claim)
    /// Something that must never be followed or sent (symlink, FIFO, folder, hard link, bad name, empty,
    /// not UTF-8, over 20 MiB): log it, then `fail(claim, …)` moves it to `failed/` with `reason`.
    case unsafe(Claim, reason: String)
    /// The ID is already elsewhere in the spool or was sent in the last 7 days: log it, then `dropDuplicate`.
    case duplicate(Claim)

    /// The claim, whatever the verdict.
    public var claim: Claim {
        switch self {
        case .job(let claim), .unsafe(let claim, _), .duplicate(let claim): claim
        }
    }
}

/// What `enqueue` did.
public enum EnqueueResult: Sendable, Equatable {
    /// Published to `new/` under this ID.
    case enqueued(id: String)
    /// The ID is already in the spool (in `state`) or was sent in the last 7 days; nothing was written.
    case duplicate(id: String, state: JobState)

    public var id: String {
        switch self {
        case .enqueued(let id), .duplicate(let id, _): id
        }
    }
}
