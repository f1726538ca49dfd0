import Foundation
import MailroomCore

/// The registry's lock: `LockFile` beside the registry, held for one read-modify-write. Every writer (CLI
/// processes and the HTTP server's requests alike) takes it, so no update is lost; readers need no lock
/// because the registry is only ever replaced by an atomic rename.
enum FileLock {
    /// Runs `body` while holding the lock on `path` (created, mode 0600, if missing).
    static func withExclusiveLock<T>(on path: String, _ body: () throws(RegistryError) -> T) throws(RegistryError) -> T {
        do {
            return try LockFile.withExclusiveLock(on: path, body)
        } catch let error as RegistryError {
            throw error
        } catch let failure as FileFailure {
            throw .io(path: path, detail: "cannot \(failure.operation == "lock" ? "lock" : "open lock file"): \(failure.message)")
        } catch {
            throw .io(path: path, detail: "\(error)")
        }
    }
}
