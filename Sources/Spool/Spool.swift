import Foundation
import Glibc
import MailroomCore
import Synchronization

/// The job spool (docs/spool.md): a folder tree in which every job is one file and every state change one rename.
///
/// ```
/// tmp/                   writers create job files here
/// new/                   ready: published by rename from tmp/
/// active/<worker>/       claimed by one live worker (it holds an flock on that folder)
/// deferred/              waiting for a retry; the file's mtime is the due time (as Postfix does)
/// held/                  parked by an operator
/// paused/<integration>/  held by a worker because the integration cannot be used now
/// failed/                ID.json unchanged and ID.reason.json beside it
/// sent/                  ID.json: a small record per sent job, kept 7 days for duplicate detection
/// meta/                  ID.json: attempts, first-queued time, last error (job files stay byte-identical)
/// ```
///
/// Thread-safe; every method does blocking file I/O. Several processes may share one spool: each claims
/// into its own folder, so a ready job is claimed by exactly one of them.
public final class Spool: Sendable {
    /// The spool folder.
    public let root: String
    /// Where ready jobs are published (`new/`); the worker watches it with inotify.
    public let readyFolder: String
    /// How long a sent job's ID is remembered.
    public static let duplicateWindow: TimeInterval = 7 * 86_400
    /// Largest job file accepted (20 MiB).
    public static let maximumJobSize = JobParser.maximumSize

    let rootFolder: Folder
    let tmp: Folder
    let new: Folder
    let active: Folder
    let deferred: Folder
    let held: Folder
    let paused: Folder
    let failed: Folder
    let sent: Folder
    let meta: Folder
    let events: (any SpoolEventSink)?

    /// This process's claim folder, created by the first claim.
    let claimFolder = Mutex<ClaimFolder?>(nil)
    /// Where the last claim pass stopped in `new/`, so a big folder is read once per pass, not once per batch.
    let cursor = Mutex<DirectoryStream?>(nil)
    /// The last listing of paused and claim folders, with the folder times it is valid for.
    let scopeCache = Mutex<(stamp: ScopeStamp, scope: LookupScope)?>(nil)
    /// Whether `meta/` was empty when last listed, and the folder time that listing holds for.
    let metaListing = Mutex<(time: FolderTime, isEmpty: Bool)?>(nil)
    /// Entries already reported as unmovable, so each is reported once.
    let reportedUnmovable = Mutex<Set<String>>([])
    /// The earliest deferred due time seen by the last scan (and this process's deferrals since).
    let deferredDue = Mutex<DueCache?>(nil)
    /// When sent records and stale temporary files were last pruned.
    let lastMaintenance = Mutex<Date?>(nil)

    /// Opens the spool at `root`, creating every folder that is missing.
    /// Throws `SpoolError.cannotCreate` (exit 73) or `.io` (exit 74), naming the path.
    public init(root: String, events: (any SpoolEventSink)? = nil) throws(SpoolError) {
        self.root = root
        readyFolder = root + "/new"
        self.events = events
        rootFolder = try Folder.open(root, create: true)
        tmp = try rootFolder.child("tmp", create: true)
        new = try rootFolder.child("new", create: true)
        active = try rootFolder.child("active", create: true)
        deferred = try rootFolder.child("deferred", create: true)
        held = try rootFolder.child("held", create: true)
        paused = try rootFolder.child("paused", create: true)
        failed = try rootFolder.child("failed", create: true)
        sent = try rootFolder.child("sent", create: true)
        meta = try rootFolder.child("meta", create: true)
    }

    /// This process's worker ID (its claim folder's name), once it has claimed something.
    public var workerID: String? {
        claimFolder.withLock { $0?.id }
    }

    /// Gives up this process's claim folder: removes it if empty and releases its lock. Claims still in it
    /// are recovered by the next `recoverOrphanedClaims` of any worker. Claiming again makes a new folder.
    public func retire() {
        claimFolder.withLock { folder in
            if let current = folder {
                _ = unlinkat(active.fd, current.id, AT_REMOVEDIR)
                folder = nil
            }
        }
        cursor.withLock { $0 = nil }
    }

    func emit(_ job: String, _ name: SpoolEvent.Name, _ error: String? = nil) {
        events?.record(SpoolEvent(job: job, name: name, error: error))
    }
}

/// A worker's own claim folder, `active/<id>/`, and the exclusive flock on it that says the worker lives.
/// The lock goes when the descriptor closes: on `retire`, on exit, or when the process is killed.
final class ClaimFolder: Sendable {
    let id: String
    let folder: Folder

    init(id: String, folder: Folder) {
        self.id = id
        self.folder = folder
    }
}

/// The earliest deferred due time, as of a scan.
///
/// A scan races this process's own deferrals: a job deferred while a scan runs may be missed by it. So each
/// deferral is stamped, and a scan that started before the latest deferral keeps that deferral's due time.
struct DueCache: Sendable {
    var next: Date?
    var scannedAt: Date
    var lastDeferral: Date = .distantPast

    /// The cache after a scan that started at `started` and found `next`.
    static func scanned(_ next: Date?, started: Date, previous: DueCache?) -> DueCache {
        var merged = next
        if let previous, previous.lastDeferral >= started, let deferred = previous.next {
            merged = min(merged ?? deferred, deferred)
        }
        return DueCache(next: merged, scannedAt: Date(), lastDeferral: previous?.lastDeferral ?? .distantPast)
    }

    /// Notes a job deferred until `until` by this process.
    static func deferred(until: Date, previous: DueCache?) -> DueCache {
        var cache = previous ?? DueCache(next: nil, scannedAt: .distantPast)
        if cache.next.map({ until < $0 }) ?? true { cache.next = until }
        cache.lastDeferral = Date()
        return cache
    }
}
