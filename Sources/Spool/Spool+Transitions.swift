import Foundation
import Glibc
import MailroomCore

/// The moves a worker makes with a claim. Each is a rename out of the claim folder followed by an fsync
/// of the destination (shared with concurrent moves), so it is durable before the worker acts on it.
extension Spool {
    /// SendGrid accepted the job: write a small record in `sent/` (7-day duplicate detection), then remove the job.
    ///
    /// The record is a new file the worker creates; the application's job file is only ever unlinked, never
    /// rewritten, since it may belong to another user (and its body must not linger: it may hold personal data).
    /// A crash between the two steps leaves the record and the claim: recovery puts the job back to ready and
    /// the next claim finds the record and drops it as a duplicate, so it is not sent again.
    public func markSent(_ claim: Claim, messageID: String?) throws {
        let folder = try folder(holding: claim)
        guard claim.hasJobName else { throw SpoolError.wrongState(id: claim.id, state: .active, action: "mark as sent an unsafe entry") }
        let record = SentRecord(id: claim.id, sentAt: Timestamps.now(), messageID: messageID, attempts: claim.attempts + 1).encoded
        let name = claim.id + ".json"
        let fd = openat(sent.fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        if fd >= 0 {
            let code = SystemCalls.writeAll(fd, record)
            close(fd)
            if code != 0 {
                unlinkat(sent.fd, name, 0)
                throw SpoolError.io("write", sent.path + "/" + name, code)
            }
        } else if errno != EEXIST {
            // EEXIST: sent before (a duplicate that slipped through); the earlier record stays.
            throw SpoolError.io("create", sent.path + "/" + name, errno)
        }
        guard claim.entry.withCString({ unlinkat(folder.fd, $0, 0) }) == 0 else {
            throw errno == ENOENT ? SpoolError.claimLost(id: claim.id) : SpoolError.io("remove", folder.path + "/" + claim.entry.description, errno)
        }
        removeMeta(claim.id)
        // No fsync here: the delivery log already holds the `sent` line, a process crash (kill -9) loses nothing
        // the kernel has, and after a power failure the worst case is the one re-send the spool's contract allows.
    }

    /// Waits for a retry: `deferred/ID.json`, and in `meta/ID.json` the attempt count, the error and the due
    /// time (the record's modification time, so a scan of `deferred/` needs one `stat` per job and no read).
    public func deferJob(_ claim: Claim, until: Date, attempts: Int, lastError: String) throws {
        let folder = try folder(holding: claim)
        guard claim.hasJobName else { throw SpoolError.wrongState(id: claim.id, state: .active, action: "defer an unsafe entry") }
        var record = loadMeta(claim.id) ?? JobMeta(attempts: attempts, firstQueuedAt: claim.firstQueuedAt, lastError: lastError)
        record.attempts = attempts
        record.firstQueuedAt = Timestamps.format(claim.firstQueuedAt)
        record.lastError = lastError
        record.dueAt = Timestamps.format(until)
        try saveMeta(record, claim.id, modified: until)
        try moveOut(claim, from: folder, to: deferred)
        try meta.sync()
        try deferred.sync()
        deferredDue.withLock { $0 = DueCache.deferred(until: until, previous: $0) }
    }

    /// Holds the job because its integration cannot be used now (`paused/<integration>/`, 0 or nil: the job
    /// named none). `releaseHeld(integration:)` brings such jobs back; operators' holds are separate.
    public func hold(_ claim: Claim, integration: Int?, reason: String, attempts: Int? = nil) throws {
        let key = integration ?? 0
        try park(claim, in: paused.child(String(key), create: true), integration: key, reason: reason, attempts: attempts, action: "hold")
    }

    /// Parks the job in `held/` for a person to look at, with `reason`: where a job goes that could not be moved
    /// where its outcome sent it (not even to `failed/`). It stays until an operator retries, releases or
    /// deletes it; no worker releases it on its own.
    public func setAside(_ claim: Claim, reason: String) throws {
        try park(claim, in: held, integration: nil, reason: reason, attempts: nil, action: "set aside")
    }

    /// Moves a claim into a holding folder, with a meta record saying the worker held it, why and when.
    private func park(_ claim: Claim, in destination: Folder, integration: Int?, reason: String, attempts: Int?, action: String) throws {
        let folder = try folder(holding: claim)
        guard claim.hasJobName else { throw SpoolError.wrongState(id: claim.id, state: .active, action: "\(action) an unsafe entry") }
        var record = loadMeta(claim.id) ?? JobMeta(attempts: claim.attempts, firstQueuedAt: claim.firstQueuedAt, lastError: claim.lastError)
        record.attempts = attempts ?? claim.attempts
        record.firstQueuedAt = Timestamps.format(claim.firstQueuedAt)
        record.heldBy = "worker"
        record.integration = integration
        record.heldReason = reason
        record.heldAt = Timestamps.now()
        try saveMeta(record, claim.id)
        try moveOut(claim, from: folder, to: destination)
        try meta.sync()
        try destination.sync()
    }

    /// Fails the job for good: `failed/ID.json` byte-identical, `failed/ID.reason.json` beside it. An unsafe
    /// entry not named `ID.json` is kept as `failed/unsafe-<ULID>.json`, its original name in the reason file.
    public func fail(_ claim: Claim, reason: FailureReason) throws {
        let folder = try folder(holding: claim)
        let originalName = claim.hasJobName ? nil : claim.entry.description
        var base = claim.hasJobName ? claim.id : "unsafe-" + JobID.generate()
        if status(failed, base + ".json") != nil || status(failed, base + ".reason.json") != nil {
            let suffixed = base + "." + JobID.generate()
            base = JobID.isValid(suffixed) ? suffixed : "failed-" + JobID.generate()
        }
        let record = ReasonRecord(
            reason: reason.reason, field: reason.field ?? claim.unsafeField, attempts: reason.attempts, httpStatus: reason.httpStatus,
            time: Timestamps.now(), details: reason.details, originalName: originalName, unsafe: claim.unsafeReason == nil ? nil : true)
        try writeRecord(RecordCoding.encode(record), in: failed, as: base + ".reason.json")
        let code = move(folder, claim.entry, to: failed, as: EntryName(base + ".json"))
        guard code == 0 else {
            unlinkat(failed.fd, base + ".reason.json", 0)
            throw code == ENOENT
                ? SpoolError.claimLost(id: claim.id) : SpoolError.io("move to failed", folder.path + "/" + claim.entry.description, code)
        }
        try failed.sync()
    }

    /// Puts an unstarted claim back to ready untouched (graceful shutdown). A duplicate claim is dropped instead.
    public func requeue(_ claim: Claim) throws {
        let folder = try folder(holding: claim)
        if claim.entry.isHidden {
            try dropDuplicate(claim)
            return emit(claim.id, .duplicate, "a second copy of a claimed job was dropped instead of going back to ready")
        }
        do {
            try moveToReady(folder, claim.entry, as: claim.entry, id: claim.id)
        } catch {
            if status(folder, claim.entry.description) == nil { throw SpoolError.claimLost(id: claim.id) }
            throw error
        }
        try new.sync()
    }

    /// Removes a duplicate copy; the other copy and its history stay. Not reported to the event sink: the worker
    /// logs `duplicate` itself before calling this (the spool reports only the duplicates it drops on its own).
    public func dropDuplicate(_ claim: Claim) throws {
        let folder = try folder(holding: claim)
        let code = removeEntry(folder, claim.entry)
        guard code == 0 else { throw code == ENOENT ? SpoolError.claimLost(id: claim.id) : SpoolError.io("remove", folder.path, code) }
        try folder.sync()
    }

    /// Moves a claimed job into a waiting state. If that state already has a copy of the ID, that copy is
    /// the earlier one and stays; this one is dropped as a duplicate.
    private func moveOut(_ claim: Claim, from folder: Folder, to destination: Folder) throws(SpoolError) {
        let code = move(folder, claim.entry, to: destination, as: claim.entry)
        if code == EEXIST {
            _ = removeEntry(folder, claim.entry)
            emit(claim.id, .duplicate, "a copy is already in \(destination.path); this one was dropped")
            return
        }
        guard code == 0 else {
            throw code == ENOENT ? SpoolError.claimLost(id: claim.id) : SpoolError.io("move", folder.path + "/" + claim.entry.description, code)
        }
    }
}
