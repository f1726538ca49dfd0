import Foundation
import Glibc

/// An open spool folder: a descriptor for the `*at` calls (no path lookups on hot paths), its path for
/// messages, and an fsync that concurrent callers share (group commit).
final class Folder: @unchecked Sendable {
    let fd: Int32
    let path: String

    // Group commit: every caller takes a ticket after its change; one fsync started after a ticket was
    // taken covers that ticket, so N concurrent moves into one folder cost one fsync, not N.
    private let condition = NSCondition()
    private var ticketsIssued: UInt64 = 0
    private var ticketsSynced: UInt64 = 0
    private var syncing = false

    private init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    deinit {
        close(fd)
    }

    /// `O_PATH` from `<fcntl.h>`, which Swift's Glibc module does not import (it needs `_GNU_SOURCE`).
    private static let pathOnly: Int32 = 0o10_000_000

    /// Wraps an already open folder descriptor, which the new value owns.
    static func adopt(fd: Int32, path: String) -> Folder {
        Folder(fd: fd, path: path)
    }

    /// Opens the folder at `path`, creating it (and its parents) when `create` is set. With `searchOnly`, the
    /// descriptor only reaches what is inside (`O_PATH`): enough for `openat` of a child, and all an application's
    /// user gets on the spool folder (`g+x`, not `g+r`).
    static func open(_ path: String, create: Bool, searchOnly: Bool = false) throws(SpoolError) -> Folder {
        if create { try makeFolder(path) }
        let fd = Glibc.open(path, (searchOnly ? Self.pathOnly : O_RDONLY) | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw failure(opening: path, errno) }
        return Folder(fd: fd, path: path)
    }

    /// Opens the sub-folder `name` (not following a symlink), creating it when `create` is set.
    func child(_ name: String, create: Bool) throws(SpoolError) -> Folder {
        if create {
            if mkdirat(fd, name, 0o700) == 0 {
                try sync()
            } else if errno != EEXIST {
                throw .cannotCreate(path: path + "/" + name, reason: SystemCalls.message(errno))
            }
        }
        let child = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard child >= 0 else { throw Self.failure(opening: path + "/" + name, errno) }
        return Folder(fd: child, path: path + "/" + name)
    }

    /// Makes the folder's entries durable. Callers that arrive while an fsync runs wait for the next one,
    /// which covers all of them.
    func sync() throws(SpoolError) {
        condition.lock()
        ticketsIssued += 1
        let ticket = ticketsIssued
        while ticketsSynced < ticket {
            if syncing {
                condition.wait()
                continue
            }
            syncing = true
            let covered = ticketsIssued
            condition.unlock()
            let result = fsync(fd)
            let code = errno
            condition.lock()
            syncing = false
            condition.broadcast()
            if result != 0 {
                condition.unlock()
                throw SpoolError.io("fsync", path, code)
            }
            ticketsSynced = max(ticketsSynced, covered)
        }
        condition.unlock()
    }

    /// `mkdir -p` with errors that say what is in the way.
    private static func makeFolder(_ path: String) throws(SpoolError) {
        var info = stat()
        if stat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else { throw .cannotCreate(path: path, reason: "a file is in the way, not a folder") }
            return
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty && parent != path { try makeFolder(parent) }
        if mkdir(path, 0o700) != 0 && errno != EEXIST {
            throw .cannotCreate(path: path, reason: SystemCalls.message(errno))
        }
    }

    private static func failure(opening path: String, _ code: Int32) -> SpoolError {
        switch code {
        case ENOTDIR: .cannotCreate(path: path, reason: "a file is in the way, not a folder")
        case ENOENT: .cannotCreate(path: path, reason: "it does not exist")
        default: .io("open", path, code)
        }
    }
}
