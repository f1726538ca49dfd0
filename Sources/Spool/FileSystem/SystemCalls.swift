import Foundation
import Glibc
import MailroomCore

/// The few Linux calls the spool needs that Swift's Glibc module does not spell out, and the spool's
/// errno-returning forms of `SystemCall` (MailroomCore's one wrapper: EINTR retried, errno captured at the call).
enum SystemCalls {
    /// `RENAME_NOREPLACE` from `<linux/fs.h>`.
    private static let renameNoReplaceFlag: UInt32 = 1

    private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32

    /// glibc's `renameat2` (2.28+), looked up once; Swift's Glibc module does not import it.
    private static let renameat2Function: RenameAt2? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return nil }
        return unsafeBitCast(symbol, to: RenameAt2.self)
    }()

    /// Renames `from` (in folder `fromFD`) to `to` (in folder `toFD`) unless `to` exists.
    /// Returns 0, or the `errno` (EEXIST when the destination exists, ENOENT when the source is gone).
    ///
    /// Every state move uses this: a plain `rename(2)` would silently replace a second copy of a job.
    /// On file systems without RENAME_NOREPLACE (EINVAL) it falls back to a check and a rename, which is
    /// racy only against another copy of the same ID appearing at that instant.
    static func renameNoReplace(_ fromFD: Int32, _ from: UnsafePointer<CChar>, _ toFD: Int32, _ to: UnsafePointer<CChar>) -> Int32 {
        if let renameat2 = renameat2Function {
            if renameat2(fromFD, from, toFD, to, renameNoReplaceFlag) == 0 { return 0 }
            let code = errno
            if code != EINVAL && code != ENOSYS { return code }
        }
        var info = stat()
        if fstatat(toFD, to, &info, AT_SYMLINK_NOFOLLOW) == 0 { return EEXIST }
        return renameat(fromFD, from, toFD, to) == 0 ? 0 : errno
    }

    /// Sets the modification time of the open file `fd` (and its access time to now). Only ever called on
    /// files the worker created itself: it never needs to own, or change, a file an application wrote.
    static func setModificationTime(_ fd: Int32, _ date: Date) -> Int32 {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        let nanoseconds = Int((date.timeIntervalSince1970 - seconds) * 1e9)
        let now = timespec(tv_sec: 0, tv_nsec: (1 << 30) - 1)  // UTIME_NOW: the access time becomes now
        var times = [now, timespec(tv_sec: Int(seconds), tv_nsec: nanoseconds)]
        return futimens(fd, &times) == 0 ? 0 : errno
    }

    /// Writes all of `data` to `fd` (`SystemCall.writeAll`: short writes and EINTR continue). Returns 0 or the `errno`.
    static func writeAll(_ fd: Int32, _ data: Data) -> Int32 {
        do throws(SystemError) {
            try SystemCall.writeAll(fd, data)
            return 0
        } catch {
            return error.code
        }
    }

    /// Reads exactly `count` bytes from `fd`; nil if the file ended early or a read failed.
    static func readExactly(_ fd: Int32, count: Int) -> Data? {
        do throws(SystemError) {
            return try SystemCall.readExactly(fd, count: count)
        } catch {
            return nil
        }
    }

    /// The modification time of a `stat` result.
    static func modificationDate(_ info: stat) -> Date {
        Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec) + TimeInterval(info.st_mtim.tv_nsec) / 1e9)
    }

    /// The text for an `errno`, as `strerror` gives it.
    static func message(_ code: Int32) -> String {
        SystemCall.message(code)
    }
}
