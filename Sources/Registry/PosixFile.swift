import Foundation
import MailroomCore

/// The few file operations the store needs, in POSIX terms, so that each failure keeps its errno
/// (a missing registry is an empty one; a permission problem is an error that says so). Every call goes
/// through `SystemCall` (EINTR retried, errno captured at the call).
enum PosixFile {
    /// A failed system call: its errno, and the C library's words for it.
    struct Failure: Error {
        var code: Int32
        var message: String { SystemCall.message(code) }

        init(code: Int32) {
            self.code = code
        }

        init(_ error: SystemError) {
            code = error.code
        }
    }

    /// The whole content of the file at `path`.
    static func read(_ path: String) throws(Failure) -> Data {
        let fd = try call { open(path, O_RDONLY | O_CLOEXEC) }
        defer { close(fd) }
        do throws(SystemError) {
            return try SystemCall.readAll(fd)
        } catch {
            throw Failure(error)
        }
    }

    /// `SystemCall.retrying`, failing with the registry's error type.
    @discardableResult
    private static func call(_ body: () -> Int32) throws(Failure) -> Int32 {
        do throws(SystemError) {
            return try SystemCall.retrying(body)
        } catch {
            throw Failure(error)
        }
    }

    /// Why a bounded read refused a file. No case carries any of the file's bytes.
    enum BoundedReadFailure: Error {
        /// open, fstat or read failed.
        case system(Failure)
        /// Not a regular file: a FIFO, a device, a folder, a socket.
        case notRegular(kind: String)
        /// Larger than the limit (`size` as `fstat` reports it, or limit + 1 for a file that grew).
        case tooLarge(size: Int64)
    }

    /// The content of the regular file at `path`, at most `limit` bytes, without ever blocking.
    ///
    /// A key file comes from a config anyone with the admin API may write, so it must not be able
    /// to hang the worker (a FIFO with no writer), feed it forever (`/dev/zero`) or fill its memory
    /// (a 1 GiB file). The kind is checked before opening (`lstat`: devices are never opened), the
    /// file is opened with `O_NONBLOCK|O_NOFOLLOW`, and `fstat` of the descriptor must show the same
    /// regular file, so a swap between the two checks is caught.
    static func readBounded(_ path: String, limit: Int) throws(BoundedReadFailure) -> Data {
        var before = stat()
        do throws(Failure) {
            try call { lstat(path, &before) }
        } catch {
            throw .system(error)
        }
        guard before.st_mode & S_IFMT == S_IFREG else { throw .notRegular(kind: kind(of: before.st_mode)) }
        guard before.st_size <= limit else { throw .tooLarge(size: Int64(before.st_size)) }
        let fd: Int32
        do throws(Failure) {
            fd = try call { open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC) }
        } catch {
            throw .system(error)
        }
        defer { close(fd) }
        var opened = stat()
        do throws(Failure) {
            try call { fstat(fd, &opened) }
        } catch {
            throw .system(error)
        }
        guard opened.st_mode & S_IFMT == S_IFREG, opened.st_dev == before.st_dev, opened.st_ino == before.st_ino else {
            throw .notRegular(kind: kind(of: opened.st_mode))
        }
        guard opened.st_size <= limit else { throw .tooLarge(size: Int64(opened.st_size)) }
        let data: Data
        do throws(SystemError) {
            data = try SystemCall.readBounded(fd, limit: limit)
        } catch {
            throw .system(Failure(error))
        }
        guard data.count <= limit else { throw .tooLarge(size: Int64(data.count)) }
        return data
    }

    /// Words for a file type, for errors: "a FIFO", "a character device"…
    static func kind(of mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFREG: "a regular file that changed while it was opened"
        case S_IFDIR: "a folder"
        case S_IFIFO: "a FIFO"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        case S_IFLNK: "a symbolic link"
        default: "not a regular file"
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

    /// `AtomicFile.write`, keeping the errno: a reader sees the old content or the new, never a mix.
    ///
    /// The temporary file (`.NAME.RANDOM.tmp`) gets a unique name and is made with `O_EXCL|O_NOFOLLOW`,
    /// so nothing planted under a predictable name (a symlink, a file someone else can read) is ever
    /// written through. It is removed on any failure; copies a killed writer left behind (they hold the
    /// keys) are removed by `removeStaleTemporaries` at the next write.
    static func writeAtomically(_ data: Data, to path: String, mode: mode_t = 0o600) throws(Failure) {
        do {
            try AtomicFile.write(data, to: path, mode: mode)
        } catch {
            throw Failure(code: error.code)
        }
    }

    /// `.NAME.` + 16 random hex digits + `.tmp`: hidden, and unique to this write.
    static func temporaryName(for name: String) -> String {
        AtomicFile.temporaryName(for: name)
    }

    /// Removes `.NAME.*.tmp` files beside `path` older than `age`: left by a writer killed between
    /// creating its temporary file and renaming it. The registry calls it under the lock every writer
    /// holds while its temporary file exists, so whatever it finds is a dead writer's and `age` is 0;
    /// a caller without such a lock would pass a minute, more than any live write takes. Failures are
    /// ignored: a leftover costs disk space, not correctness.
    static func removeStaleTemporaries(beside path: String, olderThan age: TimeInterval, now: Date = Date()) {
        let folder = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        let prefix = ".\((path as NSString).lastPathComponent)."
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(".tmp") {
            var info = stat()
            let candidate = folder + "/" + name
            guard lstat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            let modified = TimeInterval(info.st_mtim.tv_sec) + TimeInterval(info.st_mtim.tv_nsec) / 1e9
            if now.timeIntervalSince1970 - modified >= age { unlink(candidate) }
        }
    }
}
