import Foundation
import MailroomCore
import Synchronization

/// Decides whether a request may go to an integration now, and records what SendGrid said about it.
///
/// Key refusals are shared with other workers through the `HealthStore` at once; rate limits and
/// last errors are kept here and written to the store by `flush()` (once per loop tick, not per job).
final class IntegrationGate: Sendable {
    /// What a job for one integration may do right now.
    enum Verdict: Equatable {
        case send
        /// The key was refused under the current config revision: hold, don't send.
        case keyRefused(String)
        /// Rate limited: defer until then without spending an attempt.
        case rateLimited(until: Date)
    }

    private struct State {
        var health: [Int: IntegrationHealth] = [:]
        var dirty = false
        var fileStamp: FileStamp?
    }

    private let store: HealthStore
    private let state = Mutex(State())

    init(store: HealthStore) {
        self.store = store
        refreshFromStore()
    }

    func verdict(for config: ResolvedConfig, now: Date = Date()) -> Verdict {
        state.withLock { state in
            guard let health = state.health[config.id] else { return .send }
            switch health.effectiveState(now: now) {
            case .ok:
                return .send
            case .keyRefused:
                // A refusal under an older revision of the config no longer applies.
                guard health.revision == config.revision else { return .send }
                return .keyRefused(health.lastError ?? "SendGrid refused the key")
            case .rateLimited:
                let until = health.until.flatMap(Timestamps.parse) ?? now
                return .rateLimited(until: until)
            }
        }
    }

    func recordSuccess(_ id: Int, now: Date = Date()) {
        state.withLock { state in
            var health = state.health[id] ?? IntegrationHealth(id: id)
            // A success proves the key works; a rate limit stands until it ends (the send may have started before it).
            if health.state == .keyRefused || health.effectiveState(now: now) == .ok {
                health.state = .ok
                health.revision = nil
                health.until = nil
            }
            health.lastSuccessAt = Timestamps.format(now)
            state.health[id] = health
            state.dirty = true
        }
    }

    func recordError(_ id: Int, _ message: String, now: Date = Date()) {
        state.withLock { state in
            var health = state.health[id] ?? IntegrationHealth(id: id)
            health.lastError = message
            health.lastErrorAt = Timestamps.format(now)
            state.health[id] = health
            state.dirty = true
        }
    }

    func recordRateLimit(_ id: Int, until: Date, message: String, now: Date = Date()) {
        state.withLock { state in
            var health = state.health[id] ?? IntegrationHealth(id: id)
            if health.state != .keyRefused {
                health.state = .rateLimited
                let current = health.until.flatMap(Timestamps.parse) ?? .distantPast
                health.until = Timestamps.format(max(current, until))
            }
            health.lastError = message
            health.lastErrorAt = Timestamps.format(now)
            state.health[id] = health
            state.dirty = true
        }
    }

    /// Pauses the integration under `revision` and tells the other workers at once.
    func recordKeyRefused(_ id: Int, revision: String, message: String, now: Date = Date()) throws {
        let entry = state.withLock { state -> IntegrationHealth in
            var health = state.health[id] ?? IntegrationHealth(id: id)
            health.state = .keyRefused
            health.revision = revision
            health.until = nil
            health.lastError = message
            health.lastErrorAt = Timestamps.format(now)
            state.health[id] = health
            return health
        }
        try store.update { $0[id] = entry }
    }

    /// Clears the pause of an integration whose config changed, here and for every worker at once.
    func resume(_ id: Int) {
        let wasPaused = state.withLock { state -> Bool in
            guard state.health[id]?.state == .keyRefused else { return false }
            state.health[id]?.state = .ok
            state.health[id]?.revision = nil
            return true
        }
        guard wasPaused else { return }
        try? store.update { shared in
            guard shared[id]?.state == .keyRefused else { return }
            shared[id]?.state = .ok
            shared[id]?.revision = nil
        }
    }

    /// The earliest end of a rate limit still in force, for the loop's timer.
    func nextRateLimitEnd(now: Date = Date()) -> Date? {
        state.withLock { state in
            state.health.values.compactMap { health -> Date? in
                guard health.state == .rateLimited, let until = health.until.flatMap(Timestamps.parse), until > now else { return nil }
                return until
            }.min()
        }
    }

    /// Ids paused for a refused key.
    var refusedIDs: Set<Int> {
        state.withLock { Set($0.health.values.filter { $0.state == .keyRefused }.map(\.id)) }
    }

    /// Writes local changes to the store, merged with what other workers and operators wrote.
    func flush() {
        let local = state.withLock { state -> [Int: IntegrationHealth]? in
            guard state.dirty else { return nil }
            state.dirty = false
            return state.health
        }
        guard let local else { return }
        try? store.update { shared in
            for (id, mine) in local {
                var merged = mine
                // A pause another worker set after our last success wins over our view; one older than a
                // success of ours is stale (the key works again).
                if let theirs = shared[id], theirs.state == .keyRefused, mine.state != .keyRefused,
                    (theirs.lastErrorAt ?? "") > (mine.lastSuccessAt ?? "")
                {
                    merged.state = theirs.state
                    merged.revision = theirs.revision
                }
                shared[id] = merged
            }
        }
        state.withLock { $0.fileStamp = FileStamp(path: store.path) }
    }

    /// Picks up pauses set by other workers and pauses cleared by operators, when the file changed.
    func refreshFromStore() {
        let stamp = FileStamp(path: store.path)
        let changed = state.withLock { $0.fileStamp != stamp }
        guard changed else { return }
        let shared = store.read()
        state.withLock { state in
            state.fileStamp = stamp
            for (id, theirs) in shared {
                var mine = state.health[id] ?? theirs
                let theirsIsNewer = (theirs.lastErrorAt ?? "") > (mine.lastSuccessAt ?? "")
                // Adopt another worker's refusal unless we sent successfully since; adopt an operator's clear.
                if (theirs.state == .keyRefused && theirsIsNewer) || (mine.state == .keyRefused && theirs.state != .keyRefused) {
                    mine.state = theirs.state
                    mine.revision = theirs.revision
                }
                if mine.lastError == nil { mine.lastError = theirs.lastError }
                state.health[id] = mine
            }
        }
    }
}

/// Identifies a version of a file cheaply (inode, size, modification time), to notice changes without reading it.
struct FileStamp: Equatable, Sendable {
    var inode: UInt64
    var size: Int64
    var modified: Int64

    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
    }
}
