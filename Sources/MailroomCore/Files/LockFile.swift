import Glibc

/// An exclusive `flock(2)` on a lock file, held for one read-modify-write of the file it guards. Every
/// writer takes it, so no update is lost; readers need none when the guarded file is only ever replaced by
/// an atomic rename (`AtomicFile`).
public enum LockFile {
    /// Runs `body` while holding the lock on `path` (created mode 0600 if missing). Fails, without running
    /// `body`, when the lock file cannot be opened or locked.
    public static func withExclusiveLock<T, Failure: Error>(on path: String, _ body: () throws(Failure) -> T) throws -> T {
        let fd: Int32
        do throws(SystemError) {
            fd = try SystemCall.retrying { open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600) }
        } catch {
            throw FileFailure("open the lock file", path, error)
        }
        defer { close(fd) }
        do throws(SystemError) {
            try SystemCall.retrying { flock(fd, LOCK_EX) }
        } catch {
            throw FileFailure("lock", path, error)
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}
