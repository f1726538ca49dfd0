import Foundation
import MailroomCore

/// The shared record of integration health: a small JSON file in the spool folder, so that several
/// workers stop using a refused key together, `mailroom status` can report it, and an operator's
/// `retry --held` can clear a pause. Writes are rare (state changes and errors) and go through a
/// lock file and an atomic rename.
public struct HealthStore: Sendable {
    public let path: String

    public init(spool: String) {
        path = spool + "/health.json"
    }

    /// The recorded health by integration id; an absent or unreadable file reads as empty.
    public func read() -> [Int: IntegrationHealth] {
        guard let data = FileManager.default.contents(atPath: path),
            let list = try? JSONDecoder().decode([IntegrationHealth].self, from: data)
        else { return [:] }
        return Dictionary(list.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// Read-modify-write under an exclusive lock; `change` edits the map in place.
    public func update(_ change: (inout [Int: IntegrationHealth]) -> Void) throws {
        let lock = open(path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard lock >= 0 else { throw PlainFailure(.ioError, "cannot open \(path).lock: \(String(cString: strerror(errno)))") }
        defer { close(lock) }
        flock(lock, LOCK_EX)
        var health = read()
        change(&health)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(health.values.sorted { $0.id < $1.id })
        let temporary = path + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data), rename(temporary, path) == 0 else {
            throw PlainFailure(.ioError, "cannot write \(path): \(String(cString: strerror(errno)))")
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
