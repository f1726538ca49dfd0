import Foundation
import NIOCore
import Synchronization

/// The messages the sandbox accepted: in memory (oldest first), within a count and a byte budget
/// that evict the oldest, and, when a folder is given, one `<id>.json` file each (mode 0600),
/// written before the send is answered so a test that got its 202 can read the file at once.
///
/// A shared staging sandbox runs for weeks: without the byte budget a few large attachments
/// would grow it until the host runs out of memory.
final class MessageStore: Sendable {
    /// Filters of `GET /messages`.
    struct Query: Sendable {
        var recipient: String?
        var sinceNanoseconds: Int?
        var keyFingerprint: String?
        /// Words that must all occur in a recipient address, the subject or the template id (lowercased).
        var text: String?

        func matches(_ record: MessageRecord) -> Bool {
            if let recipient, !record.recipients.contains(recipient.lowercased()) { return false }
            if let since = sinceNanoseconds, record.receivedAtNanoseconds < since { return false }
            if let fingerprint = keyFingerprint, record.keyFingerprint != fingerprint { return false }
            if let text, !text.isEmpty, !record.matches(search: text) { return false }
            return true
        }
    }

    /// One page of a newest-first listing.
    struct Page: Sendable {
        var records: [MessageRecord]
        /// The id to pass as `before` for the next page, or nil on the last page.
        var nextBefore: String?
    }

    /// `before` named a message the store does not hold (deleted, or evicted by the budgets).
    struct UnknownCursor: Error {}

    private struct Contents {
        var records = CircularBuffer<MessageRecord>()
        var bytes = 0
        /// Bumped by every change, so the inbox page can tell that its list is stale.
        var generation = 0
    }

    private let contents = Mutex(Contents())
    let folder: String?
    let capacity: Int
    let maximumBytes: Int

    init(folder: String?, capacity: Int, maximumBytes: Int = SandboxConfiguration.defaultMaximumBytes) throws(SandboxFailure) {
        self.folder = folder
        self.capacity = max(1, capacity)
        self.maximumBytes = max(1, maximumBytes)
        if let folder { try load(from: folder) }
    }

    func add(_ record: MessageRecord) throws(SandboxFailure) {
        if let folder { try StoreFile.save(record.json, id: record.id, folder: folder) }
        let evicted = contents.withLock { contents in
            contents.records.append(record)
            contents.bytes += record.byteCount
            contents.generation += 1
            return Self.evict(&contents, capacity: capacity, maximumBytes: maximumBytes)
        }
        if let folder { for id in evicted { StoreFile.remove(id: id, folder: folder) } }
    }

    /// Drops the oldest records past the budgets; returns their ids. The count is trimmed in
    /// batches (an eighth over capacity) so its amortised cost stays constant; bytes are exact.
    private static func evict(_ contents: inout Contents, capacity: Int, maximumBytes: Int) -> [String] {
        var evicted: [String] = []
        let countLimit = contents.records.count > capacity + capacity / 8 ? capacity : Int.max
        while contents.records.count > 1, contents.records.count > countLimit || contents.bytes > maximumBytes {
            let oldest = contents.records.removeFirst()
            contents.bytes -= oldest.byteCount
            evicted.append(oldest.id)
        }
        return evicted
    }

    /// Every matching record, oldest first (a snapshot: later changes do not affect it).
    func list(_ query: Query) -> [MessageRecord] {
        let snapshot = contents.withLock { $0.records }
        return snapshot.filter(query.matches)
    }

    /// Up to `limit` matching records received before the message `before` (or the newest), newest first.
    func page(_ query: Query, limit: Int, before: String?) throws(UnknownCursor) -> Page {
        let snapshot = contents.withLock { $0.records }
        var index = snapshot.endIndex
        if let before {
            guard let position = snapshot.lastIndex(where: { $0.id == before }) else { throw UnknownCursor() }
            index = position
        }
        var found: [MessageRecord] = []
        while index > snapshot.startIndex, found.count <= limit {
            index = snapshot.index(before: index)
            let record = snapshot[index]
            if query.matches(record) { found.append(record) }
        }
        guard found.count > limit else { return Page(records: found, nextBefore: nil) }
        found.removeLast()
        return Page(records: found, nextBefore: found.last?.id)
    }

    func find(id: String) -> MessageRecord? {
        contents.withLock { contents in contents.records.last(where: { $0.id == id }) }
    }

    /// Counts and the change counter, for the inbox page's side panel and its live updates.
    func census() -> (count: Int, bytes: Int, generation: Int) {
        contents.withLock { ($0.records.count, $0.bytes, $0.generation) }
    }

    /// Forgets one message, in memory and in the folder; false when there was none.
    func delete(id: String) -> Bool {
        let removed = contents.withLock { contents -> Bool in
            guard let index = contents.records.lastIndex(where: { $0.id == id }) else { return false }
            contents.bytes -= contents.records[index].byteCount
            contents.records.remove(at: index)
            contents.generation += 1
            return true
        }
        if removed, let folder { StoreFile.remove(id: id, folder: folder) }
        return removed
    }

    /// Forgets every message, in memory and in the folder; returns how many were in memory.
    @discardableResult
    func clear() -> Int {
        let count = contents.withLock { contents in
            defer {
                contents.records.removeAll()
                contents.bytes = 0
                contents.generation += 1
            }
            return contents.records.count
        }
        if let folder, let names = try? FileManager.default.contentsOfDirectory(atPath: folder) {
            for name in names where StoreFile.isRecordFileName(name) { try? FileManager.default.removeItem(atPath: folder + "/" + name) }
        }
        return count
    }

    private func load(from folder: String) throws(SandboxFailure) {
        try StoreFile.prepare(folder: folder)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            throw SandboxFailure.store(folder, "cannot read the folder")
        }
        var loaded: [MessageRecord] = []
        for name in names where StoreFile.isRecordFileName(name) {
            guard let data = FileManager.default.contents(atPath: folder + "/" + name),
                let record = MessageRecord(storedJSON: String(decoding: data, as: UTF8.self))
            else { continue }
            loaded.append(record)
        }
        loaded.sort { $0.receivedAtNanoseconds < $1.receivedAtNanoseconds }
        var initial = Contents()
        initial.records = CircularBuffer(loaded)
        initial.bytes = loaded.reduce(0) { $0 + $1.byteCount }
        var evicted = Self.evict(&initial, capacity: capacity, maximumBytes: maximumBytes)
        while initial.records.count > capacity {
            let oldest = initial.records.removeFirst()
            initial.bytes -= oldest.byteCount
            evicted.append(oldest.id)
        }
        for id in evicted { StoreFile.remove(id: id, folder: folder) }
        contents.withLock { $0 = initial }
    }
}
