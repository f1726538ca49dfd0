import Foundation
import Glibc

/// Claiming: each ready job goes to exactly one worker, by a rename into that worker's own folder.
extension Spool {
    /// Claims up to `limit` entries from `new/` for this process and judges each (safe job, unsafe entry,
    /// duplicate ID). Reads `new/` as a stream that resumes where the last call stopped; when it reaches the
    /// end it starts over once, so a call returns fewer than `limit` only after a full pass found no more.
    /// An entry another process renamed first is skipped.
    ///
    /// The claim rename is not fsynced, on purpose: after a crash a claim that did not reach the disk leaves the
    /// job in `new/`, which is exactly where recovery would put it back from `active/`, so the fsync would change
    /// nothing that survives a crash. Every move out of the claim folder but the one into `sent/` is fsynced (on
    /// ext4 that commits the claim too); see `markSent` for why that one is not.
    public func claimBatch(limit: Int) throws -> [ClaimedEntry] {
        guard limit > 0 else { return [] }
        let claims = try ownClaimFolder()
        let scope = lookupScope()
        let now = Date()
        var claimed: [ClaimedEntry] = []
        cursor.withLock { cursor in
            let stream: DirectoryStream
            var passComplete: Bool
            if let existing = cursor {
                stream = existing
                passComplete = false
            } else {
                guard let opened = DirectoryStream(new) else { return }
                stream = opened
                passComplete = true
                cursor = opened
            }
            while claimed.count < limit {
                guard let (name, _) = stream.next() else {
                    if passComplete { break }
                    stream.rewind()
                    passComplete = true
                    continue
                }
                if name.isHidden { continue }
                if let entry = claim(name, into: claims, scope: scope, now: now) { claimed.append(entry) }
            }
        }
        return claimed
    }

    /// Renames one entry into the claim folder and judges it; nil if another process took it first.
    private func claim(_ name: EntryName, into claims: ClaimFolder, scope: LookupScope, now: Date) -> ClaimedEntry? {
        let code = move(new, name, to: claims.folder, as: name)
        if code == ENOENT { return nil }
        if code == EEXIST {
            // The same name is already claimed by this process: this copy is a duplicate, kept aside until dropped.
            let aside = EntryName(".dup." + JobID.generate(now: now))
            guard move(new, name, to: claims.folder, as: aside) == 0 else { return nil }
            return .duplicate(
                Claim(
                    id: name.jobID ?? name.description, data: Data(), attempts: 0, firstQueuedAt: now, lastError: nil,
                    worker: claims.id, entry: aside))
        }
        guard code == 0 else {
            reportUnmovable(name, code)
            return nil
        }
        switch SafeEntry.inspect(claims.folder.fd, name, maximumSize: Self.maximumJobSize) {
        case .gone:
            return nil
        case .unsafe(let reason, let modified, let field):
            let claim = Claim(
                id: name.jobID ?? name.description, data: Data(), attempts: 0, firstQueuedAt: modified ?? now,
                lastError: nil, worker: claims.id, entry: name, unsafeReason: reason, unsafeField: field)
            return .unsafe(claim, reason: reason)
        case .file(let data, let modified):
            guard let id = name.jobID else {
                let reason = "name is not ID.json (ID: \(JobID.rule))"
                let claim = Claim(
                    id: name.description, data: Data(), attempts: 0, firstQueuedAt: modified, lastError: nil, worker: claims.id,
                    entry: name, unsafeReason: reason)
                return .unsafe(claim, reason: reason)
            }
            let record = loadMeta(id)
            let claim = Claim(
                id: id, data: data, attempts: record?.attempts ?? 0, firstQueuedAt: record?.firstQueuedDate ?? modified,
                lastError: record?.lastError, worker: claims.id, entry: name)
            if stateElsewhere(id, excludingWorker: claims.id, includeReady: false, scope: scope, now: now) != nil { return .duplicate(claim) }
            return .job(claim)
        }
    }

    private func reportUnmovable(_ name: EntryName, _ code: Int32) {
        let first = reportedUnmovable.withLock { reported in
            guard reported.count < 10_000 else { return false }
            return reported.insert(name.description).inserted
        }
        if first { emit(name.description, .unmovable, "cannot move it out of new/: \(SystemCalls.message(code)); left where it is") }
    }

    /// This process's claim folder, created (and locked) on first use.
    ///
    /// It is made as `active/.init-<id>`, locked with `flock(LOCK_EX)`, then renamed to `active/<id>`, so no
    /// other process ever sees it unlocked while this one lives.
    func ownClaimFolder() throws(SpoolError) -> ClaimFolder {
        try claimFolder.withLock { (current: inout ClaimFolder?) throws(SpoolError) -> ClaimFolder in
            if let current { return current }
            let id = "w\(getpid())-\(JobID.generate().suffix(10).lowercased())"
            let staging = ".init-" + id
            guard mkdirat(active.fd, staging, 0o700) == 0 else {
                throw SpoolError.cannotCreate(path: active.path + "/" + staging, reason: SystemCalls.message(errno))
            }
            let fd = openat(active.fd, staging, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard fd >= 0 else { throw SpoolError.io("open", active.path + "/" + staging, errno) }
            let folder = Folder.adopt(fd: fd, path: active.path + "/" + id)
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { throw SpoolError.io("lock", active.path + "/" + staging, errno) }
            guard renameat(active.fd, staging, active.fd, id) == 0 else { throw SpoolError.io("rename", active.path + "/" + staging, errno) }
            try active.sync()
            let created = ClaimFolder(id: id, folder: folder)
            current = created
            return created
        }
    }

    /// The claim folder that holds `claim`; throws if this spool does not hold it.
    func folder(holding claim: Claim) throws(SpoolError) -> Folder {
        guard let current = claimFolder.withLock({ $0 }), current.id == claim.worker else { throw .claimLost(id: claim.id) }
        return current.folder
    }
}
