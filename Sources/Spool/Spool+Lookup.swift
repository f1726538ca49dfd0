import Foundation
import Glibc

/// Finding a job ID in any state: for duplicate detection and for the operator commands.
extension Spool {
    /// Where one job's file is.
    struct Location {
        var state: JobState
        var folder: Folder
        var name: EntryName
        /// For active jobs: the claim folder's worker.
        var worker: String?
        /// For jobs a worker held: the integration.
        var integration: Int?
        var info: stat
    }

    /// The folders to look in for duplicates during one claim pass (listed once per pass, not per job).
    struct LookupScope: Sendable {
        var paused: [Folder]
        var claims: [(worker: String, folder: Folder)]
    }

    /// When `active/` and `paused/` last changed: the scope is listed again only when one of them did.
    struct ScopeStamp: Equatable, Sendable {
        var active: FolderTime
        var paused: FolderTime

        init?(active: Folder, paused: Folder) {
            guard let active = FolderTime(active), let paused = FolderTime(paused) else { return nil }
            self.active = active
            self.paused = paused
        }

        var isSettled: Bool { active.isSettled && paused.isSettled }
    }

    /// The paused and claim folders. A claim pass runs every few jobs, and listing both folders took a dozen
    /// system calls, so the listing is kept while neither folder has changed (one `fstat` each to tell).
    func lookupScope() -> LookupScope {
        let stamp = ScopeStamp(active: active, paused: paused)
        return scopeCache.withLock { cache in
            if let stamp, let cached = cache, cached.stamp == stamp { return cached.scope }
            let scope = LookupScope(paused: pausedFolders().map(\.folder), claims: claimFolders())
            if let stamp, stamp.isSettled { cache = (stamp, scope) } else { cache = nil }
            return scope
        }
    }

    /// The state another copy of `id` is in, if any: sent in the last 7 days, failed, deferred, held, or
    /// claimed by a worker other than `worker`. `new/` is checked only when `includeReady` is set.
    func stateElsewhere(_ id: String, excludingWorker worker: String?, includeReady: Bool, scope: LookupScope, now: Date) -> JobState? {
        let name = id + ".json"
        if let record = status(sent, name), SystemCalls.modificationDate(record).timeIntervalSince(now) > -Self.duplicateWindow {
            return .sent
        }
        if includeReady && status(new, name) != nil { return .ready }
        if status(deferred, name) != nil { return .deferred }
        if status(failed, name) != nil { return .failed }
        if status(held, name) != nil { return .held }
        for folder in scope.paused where status(folder, name) != nil { return .held }
        for claim in scope.claims where claim.worker != worker && status(claim.folder, name) != nil { return .active }
        return nil
    }

    /// Where the job `id` is now, or nil. Sent records count (the job was sent).
    func locate(_ id: String) throws(SpoolError) -> Location? {
        guard JobID.isValid(id) else { throw .invalidID(id) }
        let name = EntryName(id + ".json")
        let places: [(JobState, Folder)] = [(.ready, new), (.deferred, deferred), (.held, held), (.failed, failed)]
        for (state, folder) in places {
            if let info = status(folder, name.description) { return Location(state: state, folder: folder, name: name, info: info) }
        }
        for (integration, folder) in pausedFolders() {
            if let info = status(folder, name.description) {
                return Location(state: .held, folder: folder, name: name, integration: integration, info: info)
            }
        }
        for (worker, folder) in claimFolders() {
            if let info = status(folder, name.description) { return Location(state: .active, folder: folder, name: name, worker: worker, info: info) }
        }
        if let info = status(sent, name.description) { return Location(state: .sent, folder: sent, name: name, info: info) }
        return nil
    }
}
