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
        for _ in 0..<8 {
            temporary = folder + "/" + temporaryName(for: name)
            fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
            if fd >= 0 || errno != EEXIST { break }
        }
        guard fd >= 0 else { throw FileFailure("create", temporary) }
        do throws(FileFailure) {
            defer { close(fd) }
            guard fchmod(fd, mode) == 0 else { throw FileFailure("set the mode of", temporary) }
            try writeAll(data, to: fd, path: temporary)
            guard fsync(fd) == 0 else { throw FileFailure("flush", temporary) }
        } catch {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let failure = FileFailure("replace", path)
            unlink(temporary)
            throw failure
        }
        try syncFolder(folder)
    }

    /// `.NAME.` + 16 random hex digits + `.tmp`: hidden, and unique to one write.
    public static func temporaryName(for name: String) -> String {
        ".\(name).\(String(format: "%016llx", UInt64.random(in: .min ... .max))).tmp"
    }

    /// Writes all of `data`, looping on short writes and EINTR.
    public static func writeAll(_ data: Data, to fd: Int32, path: String) throws(FileFailure) {
        var offset = 0
        while offset < data.count {
            let written = data.withUnsafeBytes { bytes -> Int in
                guard let base = bytes.baseAddress else { return 0 }
                return Glibc.write(fd, base + offset, bytes.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw FileFailure("write", path)
            }
            offset += written
        }
    }

    /// Makes a folder's entries (a rename into it) durable.
    public static func syncFolder(_ folder: String) throws(FileFailure) {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw FileFailure("open", folder) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw FileFailure("flush", folder) }
    }
}
