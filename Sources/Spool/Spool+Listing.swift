import Foundation
import Glibc
import MailroomCore

/// Streaming views of the spool for `status`, `list` and `show`: one folder entry at a time, so a million
/// jobs are counted and listed in constant memory.
extension Spool {
    /// Every job in `states` (all but `sent` by default), streamed. With `details`, each job file is read
    /// (safely) to count its recipients.
    public func entries(in states: [JobState] = [.ready, .active, .deferred, .held, .failed], details: Bool = true) -> SpoolListing {
        SpoolListing(spool: self, states: states, details: details)
    }

    /// Every job in one state, streamed.
    public func entries(in state: JobState, details: Bool = true) -> SpoolListing {
        entries(in: [state], details: details)
    }

    /// One job as `show` sees it; nil if the ID is nowhere in the spool.
    public func entry(_ id: String) throws(SpoolError) -> SpoolEntry? {
        guard let location = try locate(id) else { return nil }
        return describe(
            location.name, in: location.folder, state: location.state, worker: location.worker,
            integration: location.integration, details: true)
    }

    /// Counts per state, the oldest ready job, the next retry and the live workers; streams every folder once
    /// (one `stat` per ready job, two per deferred job — its file and its `meta/` record — none for the others).
    public func counts() throws -> StateCounts {
        var counts = StateCounts()
        counts.ready = scan(new) { _, info in
            let since = SystemCalls.modificationDate(info)
            if counts.oldestReadySince.map({ since < $0 }) ?? true { counts.oldestReadySince = since }
        }
        counts.deferred = scan(deferred) { name, info in
            let due = self.dueDate(ofDeferred: name, info)
            if counts.nextRetryAt.map({ due < $0 }) ?? true { counts.nextRetryAt = due }
        }
        counts.active = claimFolders().reduce(0) { $0 + scan($1.folder, stat: nil) }
        counts.held = pausedFolders().reduce(scan(held, stat: nil)) { $0 + scan($1.folder, stat: nil) }
        counts.failed = countFailed()
        counts.sent = scan(sent, stat: nil)
        counts.workersAlive = workersAlive()
        return counts
    }

    /// Counts the visible entries of `folder`, calling `stat` with each one's `lstat` when given.
    private func scan(_ folder: Folder, stat visit: ((EntryName, stat) -> Void)?) -> Int {
        guard let stream = DirectoryStream(folder) else { return 0 }
        var count = 0
        while let (name, _) = stream.next() {
            if name.isHidden { continue }
            count += 1
            if let visit, let info = status(folder, name.description) { visit(name, info) }
        }
        return count
    }

    private func countFailed() -> Int {
        guard let stream = DirectoryStream(failed) else { return 0 }
        var count = 0
        while let (name, _) = stream.next() {
            if !name.isHidden && !isReasonFile(name) { count += 1 }
        }
        return count
    }

    /// Whether a `failed/` entry is a reason file: `X.reason.json` beside an `X.json`.
    func isReasonFile(_ name: EntryName) -> Bool {
        let text = name.description
        guard text.hasSuffix(".reason.json") else { return false }
        return status(failed, String(text.dropLast(".reason.json".count)) + ".json") != nil
    }

    /// What `list` and `show` say about one entry.
    func describe(_ name: EntryName, in folder: Folder, state: JobState, worker: String?, integration: Int?, details: Bool) -> SpoolEntry? {
        guard let info = status(folder, name.description) else { return nil }
        let id = name.jobID ?? name.description
        var entry = SpoolEntry(id: id, state: state)
        entry.size = Int(info.st_size)
        entry.worker = worker
        let modified = SystemCalls.modificationDate(info)
        if state == .sent {
            let record = readSmallFile(sent, name.description).flatMap { RecordCoding.decode(SentRecord.self, $0) }
            entry.attempts = record?.attempts ?? 0
            entry.sentAt = record.flatMap { Timestamps.parse($0.sentAt) } ?? modified
            entry.messageID = record?.messageID
            return entry
        }
        entry.unsafe = SafeEntry.problem(with: info, maximumSize: Self.maximumJobSize) != nil || name.jobID == nil
        let record = name.jobID.flatMap { loadMeta($0) }
        entry.attempts = record?.attempts ?? 0
        entry.lastError = record?.lastError
        entry.queuedAt = record?.firstQueuedDate ?? (state == .deferred ? nil : modified)
        switch state {
        case .deferred:
            entry.nextAttemptAt = dueDate(ofDeferred: name, info)
        case .held:
            entry.heldBy = integration == nil ? (record?.heldBy ?? "operator") : "worker"
            entry.integration = integration
            entry.lastError = record?.heldReason ?? record?.lastError
        case .failed:
            let reasonName = String(name.description.dropLast(".json".count)) + ".reason.json"
            if let reason = readSmallFile(failed, reasonName).flatMap({ RecordCoding.decode(ReasonRecord.self, $0) }) {
                entry.attempts = reason.attempts
                entry.lastError = reason.reason
                entry.field = reason.field
                entry.httpStatus = reason.httpStatus
                entry.unsafe = entry.unsafe || reason.unsafe == true
            }
        case .ready, .active, .sent:
            break
        }
        if details && !entry.unsafe {
            switch SafeEntry.inspect(folder.fd, name, maximumSize: Self.maximumJobSize) {
            case .file(let data, _): entry.recipients = try? JobParser.parse(data).recipientCount
            case .unsafe: entry.unsafe = true
            case .gone: break
            }
        }
        return entry
    }
}

/// A streaming listing of spool entries: folders are read one entry at a time, in folder order.
public struct SpoolListing: Sequence {
    let spool: Spool
    let states: [JobState]
    let details: Bool

    public func makeIterator() -> Iterator {
        Iterator(listing: self)
    }

    public final class Iterator: IteratorProtocol {
        private struct Source {
            var state: JobState
            var folder: Folder
            var worker: String?
            var integration: Int?
        }

        private let spool: Spool
        private let details: Bool
        private var pending: [Source] = []
        private var statesLeft: [JobState]
        private var current: (source: Source, stream: DirectoryStream)?

        init(listing: SpoolListing) {
            spool = listing.spool
            details = listing.details
            statesLeft = listing.states.reversed()
        }

        public func next() -> SpoolEntry? {
            while true {
                if let (source, stream) = current {
                    while let (name, _) = stream.next() {
                        if name.isHidden || (source.state == .failed && spool.isReasonFile(name)) { continue }
                        if let entry = spool.describe(
                            name, in: source.folder, state: source.state, worker: source.worker,
                            integration: source.integration, details: details)
                        {
                            return entry
                        }
                    }
                    current = nil
                }
                if pending.isEmpty {
                    guard let state = statesLeft.popLast() else { return nil }
                    pending = sources(for: state).reversed()
                    continue
                }
                let source = pending.removeLast()
                if let stream = DirectoryStream(source.folder) { current = (source, stream) }
            }
        }

        private func sources(for state: JobState) -> [Source] {
            switch state {
            case .ready: [Source(state: state, folder: spool.new)]
            case .active: spool.claimFolders().map { Source(state: state, folder: $0.folder, worker: $0.worker) }
            case .deferred: [Source(state: state, folder: spool.deferred)]
            case .held:
                [Source(state: state, folder: spool.held)]
                    + spool.pausedFolders().map { Source(state: state, folder: $0.folder, integration: $0.integration) }
            case .failed: [Source(state: state, folder: spool.failed)]
            case .sent: [Source(state: state, folder: spool.sent)]
            }
        }
    }
}
