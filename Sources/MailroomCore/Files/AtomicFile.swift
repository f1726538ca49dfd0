import Foundation
import Glibc

/// Replacing a small file so that a reader, or a machine that loses power, sees the old content or the new,
/// never a mix.
public enum AtomicFile {
    /// Writes `data` to a new temporary file beside `path` (a unique name, created with `O_EXCL`, so two
    /// writers or a stale leftover never share one), fsyncs it, renames it over `path` and fsyncs the folder.
    /// The file gets `mode` whatever the umask. On failure the temporary file is removed and `path` is untouched.
    public static func write(_ data: Data, to path: String, mode: mode_t = 0o600) throws(FileFailure) {
        let folder = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        var fd: Int32 = -1
        var temporary = ""
        var failure = SystemError(code: EEXIST)
        for _ in 0..<8 where fd < 0 && failure.code == EEXIST {
            temporary = folder + "/" + temporaryName(for: name)
            do throws(SystemError) {
                fd = try SystemCall.retrying { open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode) }
            } catch {
                failure = error
            }
        }
        guard fd >= 0 else { throw FileFailure("create", temporary, failure) }
        do throws(FileFailure) {
            defer { close(fd) }
            try call("set the mode of", temporary) { fchmod(fd, mode) }
            try writeAll(data, to: fd, path: temporary)
            try call("flush", temporary) { fsync(fd) }
        } catch {
            unlink(temporary)
            throw error
        }
        do throws(FileFailure) {
            try call("replace", path) { rename(temporary, path) }
        } catch {
            unlink(temporary)
            throw error
        }
        try syncFolder(folder)
    }

    /// `.NAME.` + 16 random hex digits + `.tmp`: hidden, and unique to one write.
    public static func temporaryName(for name: String) -> String {
        ".\(name).\(String(format: "%016llx", UInt64.random(in: .min ... .max))).tmp"
    }

    /// Writes all of `data` (`SystemCall.writeAll`: short writes and EINTR continue).
    public static func writeAll(_ data: Data, to fd: Int32, path: String) throws(FileFailure) {
        do throws(SystemError) {
            try SystemCall.writeAll(fd, data)
        } catch {
            throw FileFailure("write", path, error)
        }
    }

    /// Makes a folder's entries (a rename into it) durable.
    public static func syncFolder(_ folder: String) throws(FileFailure) {
        let fd = try call("open", folder) { open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        defer { close(fd) }
        try call("flush", folder) { fsync(fd) }
    }

    /// `SystemCall.retrying`, failing with what was being done to which path.
    @discardableResult
    private static func call(_ operation: String, _ path: String, _ body: () -> Int32) throws(FileFailure) -> Int32 {
        do throws(SystemError) {
            return try SystemCall.retrying(body)
        } catch {
            throw FileFailure(operation, path, error)
        }
    }
}
