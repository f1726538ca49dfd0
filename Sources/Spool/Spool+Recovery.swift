import Foundation
import Glibc

/// Claims of dead workers, worker liveness, and housekeeping.
extension Spool {
    /// Moves every claim of a dead worker back to ready and returns the IDs. A claim folder is dead when its
    /// flock can be taken; a live worker's folder is locked, so its claims are never touched. Run at start and
    /// periodically. Also prunes sent records older than 7 days and stale temporary files (at most hourly).
    public func recoverOrphanedClaims() throws -> [String] {
        guard let stream = DirectoryStream(active) else { throw SpoolError.io("read", active.path, errno) }
        let own = workerID
        var recovered: [String] = []
        while let (name, _) = stream.next() {
            if name.description == own { continue }
            if name.isHidden {
                removeAbandonedStaging(name)
                continue
            }
            try recover(name.description, into: &recovered)
        }
        if !recovered.isEmpty { try new.sync() }
        performMaintenanceIfDue()
        return recovered
    }

    private func recover(_ worker: String, into recovered: inout [String]) throws {
        let fd = openat(active.fd, worker, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return }
        let folder = Folder.adopt(fd: fd, path: active.path + "/" + worker)
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { return }
        guard let entries = DirectoryStream(folder) else { return }
        var leftBehind = false
        while let (name, _) = entries.next() {
            if name.isHidden {
                // A duplicate copy the dead worker had set aside.
                if removeEntry(folder, name) == 0 { emit(name.description, .duplicate, "a duplicate copy claimed by a dead worker was dropped") }
                continue
            }
            // Logged before the move: the dead worker may have sent the job already, so the next send may be a
            // second one (at-least-once), and the log must say why even if this process dies right after the move.
            let note = "recovered from worker \(worker), which stopped while holding it; it may have been sent already"
            emit(name.jobID ?? name.description, .requeued, note)
            let code = move(folder, name, to: new, as: name)
            if code == 0 {
                recovered.append(name.jobID ?? name.description)
            } else if code != ENOENT {
                // EEXIST: a second copy was published meanwhile; it is claimed (and dropped as a duplicate of
                // this one) first, and the next recovery pass moves this one.
                leftBehind = true
            }
        }
        if !leftBehind { unlinkat(active.fd, worker, AT_REMOVEDIR) }
    }

    /// Removes an `active/.init-*` folder a worker died creating (empty, unlocked, over a minute old).
    private func removeAbandonedStaging(_ name: EntryName) {
        guard name.description.hasPrefix(".init-"), let info = status(active, name.description),
            Date().timeIntervalSince(SystemCalls.modificationDate(info)) > 60
        else { return }
        let fd = name.withCString { openat(active.fd, $0, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
        guard fd >= 0 else { return }
        defer { close(fd) }
        if flock(fd, LOCK_EX | LOCK_NB) == 0 { _ = name.withCString { unlinkat(active.fd, $0, AT_REMOVEDIR) } }
    }

    /// How many worker processes hold a claim folder now (this one included, if it has claimed).
    public func workersAlive() -> Int {
        guard let stream = DirectoryStream(active) else { return 0 }
        var alive = 0
        while let (name, _) = stream.next() {
            if name.isHidden { continue }
            let fd = name.withCString { openat(active.fd, $0, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
            guard fd >= 0 else { continue }
            if flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK { alive += 1 }
            close(fd)
        }
        return alive
    }

    /// Prunes sent records older than 7 days and temporary files older than 36 hours (as qmail does with its
    /// crashed writers' files). Cheap when little is there; `recoverOrphanedClaims` runs it at most hourly.
    @discardableResult
    public func performMaintenance(now: Date = Date()) -> (sentRecords: Int, temporaryFiles: Int) {
        let sentRemoved = removeOlder(than: now.addingTimeInterval(-Self.duplicateWindow), in: sent, hiddenOnly: false)
        var temporaryRemoved = removeOlder(than: now.addingTimeInterval(-36 * 3600), in: tmp, hiddenOnly: false)
        for folder in [meta, failed, sent] {
            temporaryRemoved += removeOlder(than: now.addingTimeInterval(-3600), in: folder, hiddenOnly: true)
        }
        return (sentRemoved, temporaryRemoved)
    }

    private func performMaintenanceIfDue() {
        let now = Date()
        let due = lastMaintenance.withLock { last -> Bool in
            guard last.map({ now.timeIntervalSince($0) > 3600 }) ?? true else { return false }
            last = now
            return true
        }
        if due { performMaintenance(now: now) }
    }

    private func removeOlder(than cutoff: Date, in folder: Folder, hiddenOnly: Bool) -> Int {
        guard let stream = DirectoryStream(folder) else { return 0 }
        var removed = 0
        while let (name, _) = stream.next() {
            guard !hiddenOnly || name.isHidden, let info = status(folder, name.description),
                info.st_mode & S_IFMT != S_IFDIR, SystemCalls.modificationDate(info) < cutoff
            else { continue }
            if name.withCString({ unlinkat(folder.fd, $0, 0) }) == 0 { removed += 1 }
        }
        return removed
    }
}
