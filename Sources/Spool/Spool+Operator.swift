import Foundation
import Glibc
import MailroomCore

/// What operators do by hand (docs/spool.md#operator-commands): retry, hold, release and delete, by ID or in bulk. A job a worker
/// is sending (active) is never touched: the action fails with `busy` (exit 75) and may be tried again.
extension Spool {
    /// Moves a deferred, held or failed job back to ready with a fresh attempt count and age (logged as
    /// `requeued`); a ready job just gets a fresh count.
    public func retryJob(_ id: String) throws -> OperatorResult {
        let location = try existing(id)
        switch location.state {
        case .active: throw SpoolError.busy(id: id, worker: location.worker ?? "?")
        case .sent: throw SpoolError.wrongState(id: id, state: .sent, action: "retry (it was sent; enqueue it again under a new ID)")
        case .ready:
            try saveFreshMeta(id)
            emit(id, .requeued, "retried by an operator (was ready)")
        case .deferred, .held, .failed:
            try saveFreshMeta(id)
            // Logged before the move, so the worker's next line for the job always comes after this one.
            emit(id, .requeued, "retried by an operator (was \(location.state.rawValue))")
            if location.state == .failed { unlinkat(failed.fd, id + ".reason.json", 0) }
            try requeueFromState(location)
        }
        return OperatorResult(id: id, action: .requeued, from: location.state)
    }

    /// Retries every job in `state` (`failed` or `held`, the latter including jobs a worker held).
    public func retryAll(in state: JobState) throws -> [OperatorResult] {
        guard state == .failed || state == .held || state == .deferred else {
            throw SpoolError.wrongState(id: "ALL", state: state, action: "retry all")
        }
        return try everyID(in: state).map { try retryJob($0) }
    }

    /// Parks a ready, deferred or worker-held job in `held/` so no worker sends it; it never expires there.
    public func holdJob(_ id: String) throws -> OperatorResult {
        let location = try existing(id)
        switch location.state {
        case .active: throw SpoolError.busy(id: id, worker: location.worker ?? "?")
        case .failed, .sent: throw SpoolError.wrongState(id: id, state: location.state, action: "hold")
        case .held where location.integration == nil:
            return OperatorResult(id: id, action: .held, from: .held)
        case .ready, .deferred, .held:
            var record = loadMeta(id) ?? JobMeta(attempts: 0, firstQueuedAt: SystemCalls.modificationDate(location.info), lastError: nil)
            record.heldBy = "operator"
            record.integration = nil
            record.heldReason = "held by an operator"
            record.heldAt = Timestamps.now()
            try saveMeta(record, id)
            let code = move(location.folder, location.name, to: held, as: location.name)
            guard code == 0 else {
                if code == ENOENT { throw SpoolError.busy(id: id, worker: "another process") }
                throw SpoolError.io("move to held", location.folder.path + "/" + location.name.description, code)
            }
            try meta.sync()
            try held.sync()
            return OperatorResult(id: id, action: .held, from: location.state)
        }
    }

    /// Takes a held job (by an operator or a worker) back to ready, keeping its attempt count.
    public func releaseJob(_ id: String) throws -> OperatorResult {
        let location = try existing(id)
        guard location.state == .held else { throw SpoolError.wrongState(id: id, state: location.state, action: "release (it is not held)") }
        try requeueFromState(location)
        return OperatorResult(id: id, action: .released, from: .held)
    }

    /// Removes a job for good, from any state but active (logged as `deleted`). For a sent job it removes
    /// the record, so the ID may be enqueued again.
    public func deleteJob(_ id: String) throws -> OperatorResult {
        let location = try existing(id)
        if location.state == .active { throw SpoolError.busy(id: id, worker: location.worker ?? "?") }
        let code = removeEntry(location.folder, location.name)
        guard code == 0 else {
            if code == ENOENT { throw SpoolError.busy(id: id, worker: "another process") }
            throw SpoolError.io("remove", location.folder.path + "/" + location.name.description, code)
        }
        if location.state == .failed { unlinkat(failed.fd, id + ".reason.json", 0) }
        if location.state != .sent { removeMeta(id) }
        try location.folder.sync()
        emit(id, .deleted, "deleted by an operator (was \(location.state.rawValue))")
        return OperatorResult(id: id, action: .deleted, from: location.state)
    }

    /// Deletes every job in `state` (`failed`, or `held`); the caller has checked the operator typed `ALL`.
    public func deleteAll(in state: JobState) throws -> [OperatorResult] {
        guard state == .failed || state == .held else { throw SpoolError.wrongState(id: "ALL", state: state, action: "delete all") }
        var results: [OperatorResult] = []
        if state == .failed {
            // failed/ may hold entries that were never jobs (unsafe ones); remove everything but hidden work files.
            guard let stream = DirectoryStream(failed) else { throw SpoolError.io("read", failed.path, errno) }
            while let (name, _) = stream.next() {
                if name.isHidden || name.description.hasSuffix(".reason.json") { continue }
                let id = name.jobID ?? name.description
                guard removeEntry(failed, name) == 0 else { continue }
                let base = name.description.hasSuffix(".json") ? String(name.description.dropLast(5)) : name.description
                unlinkat(failed.fd, base + ".reason.json", 0)
                if name.jobID != nil { removeMeta(id) }
                emit(id, .deleted, "deleted by an operator (was failed)")
                results.append(OperatorResult(id: id, action: .deleted, from: .failed))
            }
            try failed.sync()
            return results
        }
        return try everyID(in: state).map { try deleteJob($0) }
    }

    /// A retried job starts over: no attempts, queued as of now. Kept in `meta/`, the worker's own record,
    /// since the job file may belong to the application that wrote it.
    private func saveFreshMeta(_ id: String) throws {
        try saveMeta(JobMeta(attempts: 0, firstQueuedAt: Date(), lastError: nil), id)
        try meta.sync()
    }

    /// Moves a waiting job to `new/`.
    private func requeueFromState(_ location: Location) throws {
        do {
            try moveToReady(location.folder, location.name, as: location.name, id: location.name.jobID ?? location.name.description)
        } catch {
            if status(location.folder, location.name.description) == nil {
                throw SpoolError.busy(id: location.name.description, worker: "another process")
            }
            throw error
        }
        try new.sync()
    }

    private func existing(_ id: String) throws -> Location {
        guard let location = try locate(id) else { throw SpoolError.notFound(id: id) }
        return location
    }

    /// The IDs of every job in `state`, collected first (bulk actions change the folders they read).
    /// Bounded by what an operator acts on at once; list first when a state holds millions.
    private func everyID(in state: JobState) -> [String] {
        entries(in: state, details: false).compactMap { JobID.isValid($0.id) ? $0.id : nil }
    }
}
