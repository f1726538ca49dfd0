import Foundation
import Synchronization

/// The messages the sandbox accepted: in memory (newest last, oldest dropped past `capacity`),
/// and, when a folder is given, one `<id>.json` file each, written before the send is answered so
/// a test that got its 202 can read the file at once.
final class MessageStore: Sendable {
    /// Filters of `GET /messages`.
    struct Query: Sendable {
        var recipient: String?
        var sinceNanoseconds: Int?
        var keyFingerprint: String?
    }

    private let records = Mutex<[MessageRecord]>([])
    let folder: String?
    let capacity: Int

    init(folder: String?, capacity: Int) throws(SandboxFailure) {
        self.folder = folder
        self.capacity = max(1, capacity)
        if let folder { try load(from: folder) }
    }

    func add(_ record: MessageRecord) throws(SandboxFailure) {
        if let folder { try write(record, to: folder) }
        records.withLock { list in
            list.append(record)
            // Trim in batches so the amortised cost stays constant.
            if list.count > capacity + capacity / 8 { list.removeFirst(list.count - capacity) }
        }
    }

    func list(_ query: Query) -> [MessageRecord] {
        let snapshot = records.withLock { $0 }
        let recipient = query.recipient?.lowercased()
        return snapshot.filter { record in
            if let recipient, !record.recipients.contains(recipient) { return false }
            if let since = query.sinceNanoseconds, record.receivedAtNanoseconds < since { return false }
            if let fingerprint = query.keyFingerprint, record.keyFingerprint != fingerprint { return false }
            return true
        }
    }

    func find(id: String) -> MessageRecord? {
        records.withLock { list in list.last(where: { $0.id == id }) }
    }

    /// Forgets every message, in memory and in the folder; returns how many were in memory.
    @discardableResult
    func clear() -> Int {
        let count = records.withLock { list in
            defer { list.removeAll() }
            return list.count
        }
        if let folder, let names = try? FileManager.default.contentsOfDirectory(atPath: folder) {
            for name in names where Self.isRecordFileName(name) { try? FileManager.default.removeItem(atPath: folder + "/" + name) }
        }
        return count
    }

    /// `<22-character id>.json`: the only files the store reads or deletes in its folder.
    static func isRecordFileName(_ name: String) -> Bool {
        name.utf8.count == 27 && name.hasSuffix(".json")
    }

    private func write(_ record: MessageRecord, to folder: String) throws(SandboxFailure) {
        let final = folder + "/" + record.id + ".json"
        let temporary = final + ".tmp"
        do {
            try Data(record.json.utf8).write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, final) == 0 else { throw SandboxFailure.store(folder, "cannot rename \(temporary)") }
        } catch let failure as SandboxFailure {
            throw failure
        } catch {
            throw SandboxFailure.store(folder, "cannot write \(temporary)")
        }
    }

    private func load(from folder: String) throws(SandboxFailure) {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw SandboxFailure.store(folder, "cannot create the folder")
        }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            throw SandboxFailure.store(folder, "cannot read the folder")
        }
        var loaded: [MessageRecord] = []
        for name in names where Self.isRecordFileName(name) {
            guard let data = FileManager.default.contents(atPath: folder + "/" + name),
                let record = MessageRecord(storedJSON: String(decoding: data, as: UTF8.self))
            else { continue }
            loaded.append(record)
        }
        loaded.sort { $0.receivedAtNanoseconds < $1.receivedAtNanoseconds }
        if loaded.count > capacity { loaded.removeFirst(loaded.count - capacity) }
        records.withLock { $0 = loaded }
    }
}
