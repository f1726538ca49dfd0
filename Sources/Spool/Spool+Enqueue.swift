import Foundation
import Glibc
import MailroomCore

/// Intake: `mailroom enqueue` and any app that links the spool.
extension Spool {
    /// Validates `data` as a job and publishes it durably under `id` (a new time-sortable ID when nil).
    ///
    /// Protocol: write `tmp/`, fsync the file, rename into `new/` without replacing, fsync `new/`. An invalid
    /// job throws `JobValidationError` (exit 65) and writes nothing; an ID already in the spool, or sent in
    /// the last 7 days, writes nothing and returns `.duplicate`, so an app may safely retry its enqueue.
    public func enqueue(_ data: Data, id: String? = nil, now: Date = Date()) throws -> EnqueueResult {
        let id = try Publication.validate(data, id: id, now: now)
        if let state = stateElsewhere(id, excludingWorker: nil, includeReady: true, scope: lookupScope(), now: now) {
            emit(id, .duplicate, "enqueue refused: the ID is already \(state.rawValue)")
            return .duplicate(id: id, state: state)
        }
        guard try Publication.publish(data, as: id, tmp: tmp, new: new, mode: 0o600) else {
            emit(id, .duplicate, "enqueue refused: the ID was published meanwhile")
            return .duplicate(id: id, state: .ready)
        }
        return .enqueued(id: id)
    }
}

/// The publishing protocol, shared by `Spool.enqueue` (the worker's user) and `SpoolIntake` (an application's).
enum Publication {
    /// Checks the ID and the job; returns the ID to publish under (a new one when nil).
    static func validate(_ data: Data, id: String?, now: Date) throws -> String {
        if let id, !JobID.isValid(id) { throw SpoolError.invalidID(id) }
        if data.count > Spool.maximumJobSize {
            throw JobValidationError(field: "job", "the file is \(data.count) bytes; at most \(Spool.maximumJobSize) (20 MiB)")
        }
        _ = try JobParser.parse(data, now: now)
        return id ?? JobID.generate(now: now)
    }

    /// Writes and publishes the file; false if `new/ID.json` appeared meanwhile (nothing is left behind).
    static func publish(_ data: Data, as id: String, tmp: Folder, new: Folder, mode: mode_t) throws(SpoolError) -> Bool {
        let temporary = "\(id).\(getpid()).\(JobID.generate()).tmp"
        let fd = openat(tmp.fd, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard fd >= 0 else { throw SpoolError.io("create", tmp.path + "/" + temporary, errno) }
        var code = SystemCalls.writeAll(fd, data)
        if code == 0 && fsync(fd) != 0 { code = errno }
        if close(fd) != 0 && code == 0 { code = errno }
        if code == 0 {
            code = SystemCalls.renameNoReplace(tmp.fd, temporary, new.fd, id + ".json")
            if code == 0 {
                try new.sync()
                return true
            }
        }
        unlinkat(tmp.fd, temporary, 0)
        if code == EEXIST { return false }
        throw SpoolError.io("publish", new.path + "/" + id + ".json", code)
    }
}
