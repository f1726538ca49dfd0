import Foundation
import Glibc
import MailroomCore

/// The shared record of integration health: a small JSON file in the spool folder, so that several
/// workers stop using a refused key together, `mailroom status` can report it, and an operator's
/// `retry --held` can clear a pause. Writes are rare (state changes and errors) and go through a
/// lock file and `AtomicFile` (mode 0600).
public struct HealthStore: Sendable {
    /// What the file holds.
    public enum Contents: Sendable, Equatable {
        /// No file yet: nothing recorded.
        case missing
        case health([Int: IntegrationHealth])
        /// The file exists but cannot be read or parsed; the reason says why.
        case unreadable(String)

        /// The recorded health; empty when missing or unreadable.
        public var health: [Int: IntegrationHealth] {
            if case .health(let health) = self { return health }
            return [:]
        }
    }

    /// What one `update` wrote.
    public struct Written: Sendable {
        /// The whole map as written: the other workers' entries merged with the change.
        public var health: [Int: IntegrationHealth]
        /// The file as written, identified while still holding the lock: a later change by anyone has another.
        public var stamp: FileStamp?
        /// Why the file that was there could not be read, when it could not (it was set aside, not trusted).
        public var replacedUnreadable: String?
    }

    public let path: String

    public init(spool: String) {
        path = spool + "/health.json"
    }

    /// The recorded health by integration id; an absent or unreadable file reads as empty (see `contents()`).
    public func read() -> [Int: IntegrationHealth] {
        contents().health
    }

    /// The file's contents, telling a missing file from an unreadable one.
    public func contents() -> Contents {
        let data: Data
        do throws(SystemError) {
            let fd = try SystemCall.retrying { open(path, O_RDONLY | O_CLOEXEC) }
            defer { close(fd) }
            data = try SystemCall.readAll(fd)
        } catch {
            if error.code == ENOENT { return .missing }
            return .unreadable("cannot read \(path): \(error)")
        }
        guard let list = try? JSONDecoder().decode([IntegrationHealth].self, from: data) else {
            return .unreadable("\(path) is not a health file (\(data.count) bytes that do not parse)")
        }
        return .health(Dictionary(list.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last }))
    }

    /// Read-modify-write under an exclusive lock; `change` edits the map in place.
    ///
    /// An unreadable file is never taken for an empty one, which would clear every pause it held: the update
    /// starts from `known` (what the caller knows, a worker's own view) instead, and the unreadable file is kept
    /// as `health.json.unreadable` for a person to look at. `Written.replacedUnreadable` says it happened.
    @discardableResult
    public func update(known: [Int: IntegrationHealth] = [:], _ change: (inout [Int: IntegrationHealth]) -> Void) throws -> Written {
        try LockFile.withExclusiveLock(on: path + ".lock") { () throws(FileFailure) -> Written in
            var written = Written(health: [:])
            switch contents() {
            case .missing:
                break
            case .health(let health):
                written.health = health
            case .unreadable(let reason):
                written.health = known
                written.replacedUnreadable = reason
                rename(path, path + ".unreadable")
            }
            change(&written.health)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let data = (try? encoder.encode(written.health.values.sorted { $0.id < $1.id })) ?? Data("[]".utf8)
            try AtomicFile.write(data, to: path, mode: 0o600)
            written.stamp = FileStamp(path: path)
            return written
        }
    }

    /// Clears key-refused pauses (all, or those of `ids`), so the next job tries the key again.
    public func resumeRefused(ids: Set<Int>? = nil) throws {
        try update { health in
            for (id, entry) in health where entry.state == .keyRefused && (ids?.contains(id) ?? true) {
                health[id]?.state = .ok
                health[id]?.revision = nil
            }
        }
    }
}

/// Identifies a version of a file cheaply (inode, size, modification time), to notice changes without reading
/// it. Files replaced by a rename get a new inode each time, so two versions never share a stamp.
public struct FileStamp: Equatable, Sendable {
    var inode: UInt64
    var size: Int64
    var modified: Int64

    public init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
    }
}
