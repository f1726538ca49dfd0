import Foundation

/// The few file operations the store needs, in POSIX terms, so that each failure keeps its errno
/// (a missing registry is an empty one; a permission problem is an error that says so).
enum PosixFile {
    /// A failed system call: its errno, and the C library's words for it.
    struct Failure: Error {
        var code: Int32
        var message: String { String(cString: strerror(code)) }
        static var current: Failure { Failure(code: errno) }
    }

    /// The whole content of the file at `path`.
    static func read(_ path: String) throws(Failure) -> Data {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .current }
        defer { close(fd) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .current
            }
            if count == 0 { return data }
            data.append(contentsOf: buffer[0..<count])
        }
    }

    /// The content of the file at `path`, or nil if there is no such file.
    static func readIfPresent(_ path: String) throws(Failure) -> Data? {
        do {
            return try read(path)
        } catch {
            if error.code == ENOENT { return nil }
            throw error
        }
    }

    /// Writes `data` to `.NAME.tmp` beside `path`, flushes it to disk, renames it over `path` and
    /// flushes the folder, so a reader sees the old content or the new, never a mix, even after a crash.
    ///
    /// The temporary name is fixed, not unique: callers hold the registry lock, so one writer uses it
    /// at a time, and a writer killed mid-write leaves a file (a copy of the keys) that the next write
    /// truncates and renames away instead of a new leftover per crash.
    static func writeAtomically(_ data: Data, to path: String, mode: mode_t = 0o600) throws(Failure) {
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let temporary = (folder.isEmpty ? "." : folder) + "/.\(name).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .current }
        do throws(Failure) {
            defer { close(fd) }
            guard fchmod(fd, mode) == 0 else { throw .current }
            try writeAll(data, to: fd)
            guard fsync(fd) == 0 else { throw .current }
        } catch {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let failure = Failure.current
            unlink(temporary)
            throw failure
        }
        try syncFolder(folder.isEmpty ? "." : folder)
    }

    private static func writeAll(_ data: Data, to fd: Int32) throws(Failure) {
        var offset = 0
        while offset < data.count {
            let written = data.withUnsafeBytes { bytes in
                guard let base = bytes.baseAddress else { return 0 }
                return Foundation.write(fd, base + offset, bytes.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw .current
            }
            offset += written
        }
    }

    private static func syncFolder(_ folder: String) throws(Failure) {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .current }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw .current }
    }
}
