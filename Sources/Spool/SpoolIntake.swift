import Foundation
import Glibc
import MailroomCore

/// The spool as an application's user sees it: `tmp/` and `new/` (mode 2770, the worker's group), and the
/// spool folder itself only to pass through (`g+x`). The worker's own folders stay closed to it.
///
/// `enqueue` works as `Spool.enqueue` does, with two differences that follow from the access it has: the
/// duplicate check looks only in the state folders this user can read (the worker checks every published job
/// again when it claims it, and logs a duplicate there), and the job file is made mode 0640 so that the
/// worker, a member of the file's group, can read it.
public final class SpoolIntake: Sendable {
    let tmp: Folder
    let new: Folder
    /// The state folders this user can look in for an earlier copy of an ID.
    let readable: [(state: JobState, folder: Folder)]

    /// Opens `root`'s `tmp/` and `new/`, which must exist (the worker creates them).
    public init(root: String) throws(SpoolError) {
        let rootFolder = try Folder.open(root, create: false, searchOnly: true)
        tmp = try rootFolder.child("tmp", create: false)
        new = try rootFolder.child("new", create: false)
        let states: [(JobState, String)] = [(.sent, "sent"), (.deferred, "deferred"), (.held, "held"), (.failed, "failed")]
        readable = states.compactMap { state, name in (try? rootFolder.child(name, create: false)).map { (state, $0) } }
    }

    /// Validates `data` and publishes it under `id` (a new ID when nil); see `Spool.enqueue`.
    public func enqueue(_ data: Data, id: String? = nil, now: Date = Date()) throws -> EnqueueResult {
        let id = try Publication.validate(data, id: id, now: now)
        if let state = earlierCopy(of: id, now: now) { return .duplicate(id: id, state: state) }
        guard try Publication.publish(data, as: id, tmp: tmp, new: new, mode: 0o640) else { return .duplicate(id: id, state: .ready) }
        return .enqueued(id: id)
    }

    private func earlierCopy(of id: String, now: Date) -> JobState? {
        let name = id + ".json"
        var info = stat()
        if fstatat(new.fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 { return .ready }
        for (state, folder) in readable where fstatat(folder.fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 {
            if state == .sent && SystemCalls.modificationDate(info).timeIntervalSince(now) <= -Spool.duplicateWindow { continue }
            return state
        }
        return nil
    }
}
