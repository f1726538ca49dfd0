import Foundation

/// The last registry file a store read or wrote, as bytes and parsed. Parsing and checking every
/// record is most of the cost of a read; a long-running process (the admin API, a worker) reads
/// the same bytes again and again, so it compares bytes (cheap) and parses only when they differ.
/// Comparing content rather than inode and mtime stays right even when two writes land in the
/// same timestamp tick.
final class RegistryFileCache: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes: Data?
    private var file: RegistryFile?

    /// `data` parsed, from the cache when it is the content seen last.
    func parse(_ data: Data, path: String) throws(RegistryError) -> RegistryFile {
        if let hit = lock.withLock({ bytes == data ? file : nil }) { return hit }
        let parsed = try RegistryFile(data: data, path: path)
        remember(data, as: parsed)
        return parsed
    }

    /// Records that `data` is the file's content and parses to `file` (after a write).
    func remember(_ data: Data, as file: RegistryFile) {
        lock.withLock {
            bytes = data
            self.file = file
        }
    }
}
