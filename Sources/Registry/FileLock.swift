import Foundation

/// An exclusive `flock(2)` on a lock file beside the registry, held for one read-modify-write.
/// Every writer (CLI processes and the HTTP server's requests alike) takes it, so no update is lost;
/// readers need no lock because the registry is only ever replaced by an atomic rename.
enum FileLock {
    /// Runs `body` while holding the lock on `path` (created, mode 0600, if missing).
    static func withExclusiveLock<T>(on path: String, _ body: () throws(RegistryError) -> T) throws(RegistryError) -> T {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .io(path: path, detail: "cannot open lock file: \(PosixFile.Failure.current.message)") }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw .io(path: path, detail: "cannot lock: \(PosixFile.Failure.current.message)") }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}
