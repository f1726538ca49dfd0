import Foundation
import Logging
import MailroomCore
import Synchronization

/// Decides whether a request may go to an integration now, and records what SendGrid said about it.
///
/// Key refusals are shared with other workers through the `HealthStore` at once; rate limits, outages and
/// last errors are kept here and written to the store by `flush()` (once per loop tick, not per job).
final class IntegrationGate: Sendable {
    /// What a job for one integration may do right now.
    enum Verdict: Equatable {
        case send
        /// The key was refused under the current config revision: hold, don't send.
        case keyRefused(String)
        /// Rate limited: defer until then without spending an attempt.
        case rateLimited(until: Date)
        /// The endpoint is unavailable (see `Outage`): hold without spending an attempt until a probe succeeds.
        case unavailable(String)
    }

    private struct State {
        var health: [Int: IntegrationHealth] = [:]
        var outages: [Int: Outage] = [:]
        var dirty = false
        var fileStamp: FileStamp?
        /// The unreadable file last reported, so it is reported once.
        var reportedUnreadable: String?
    }

    private let store: HealthStore
    private let logger: Logger
    private let probeInterval: TimeInterval
    private let state = Mutex(State())

    init(store: HealthStore, logger: Logger, probeInterval: TimeInterval = 5) {
        self.store = store
        self.logger = logger
        self.probeInterval = probeInterval
        refreshFromStore()
    }

    /// The verdict for `job` (nil: a question about the integration, which never makes a job the probe).
    func verdict(for config: ResolvedConfig, job: String? = nil, now: Date = Date()) -> Verdict {
        state.withLock { state in
            if let health = state.health[config.id] {
                switch health.effectiveState(now: now) {
                case .ok, .unavailable:
                    break
                case .keyRefused:
                    // A refusal under an older revision of the config no longer applies.
                    if health.revision == config.revision { return .keyRefused(health.lastError ?? "SendGrid refused the key") }
                case .rateLimited:
                    return .rateLimited(until: health.until.flatMap(Timestamps.parse) ?? now)
                }
            }
            guard var outage = state.outages[config.id], outage.isUnavailable else { return .send }
            guard let job else { return .unavailable(outage.reason) }
            defer { state.outages[config.id] = outage }
            switch outage.verdict(for: job, now: now) {
            case .send, .probe: return .send
            case .wait(let reason): return .unavailable(reason)
            }
        }
    }

    /// A 2xx. Returns whether it ended an outage (the jobs held for it can go).
    @discardableResult
    func recordSuccess(_ id: Int, now: Date = Date()) -> Bool {
        state.withLock { state in
            var health = state.health[id] ?? IntegrationHealth(id: id)
            // A success proves the key works; a rate limit stands until it ends (the send may have started before it).
            if health.state == .keyRefused || health.state == .unavailable || health.effectiveState(now: now) == .ok {
                health.state = .ok
                health.revision = nil
                health.until = nil
            }
            health.lastSuccessAt = Timestamps.format(now)
            state.health[id] = health
            state.dirty = true
            return Self.answered(id, &state) == .ended
        }
    }

    /// An answer that refused the job (4xx): the endpoint works. Returns whether it ended an outage.
    @discardableResult
    func recordError(_ id: Int, _ message: String, now: Date = Date()) -> Bool {
        state.withLock { state in
            Self.noteError(id, message, now, &state)
            return Self.answered(id, &state) == .ended
        }
    }

    /// A connection-level failure or a 5xx for `job` (`lastAttempt`: it would fail the job for good). Returns
    /// the outage's change (`.began`: log it).
    func recordOutageFailure(_ id: Int, job: String, _ message: String, lastAttempt: Bool, now: Date = Date()) -> Outage.Change {
        state.withLock { state in
            Self.noteError(id, message, now, &state)
            var outage = state.outages[id] ?? Outage(firstProbeInterval: probeInterval)
            let change = outage.recordFailure(job: job, error: message, lastAttempt: lastAttempt, now: now)
            state.outages[id] = outage
            if outage.isUnavailable, state.health[id]?.state == .ok {
                state.health[id]?.state = .unavailable
            }
            if outage.isUnavailable, state.health[id]?.state == .unavailable {
                state.health[id]?.until = nil
                state.health[id]?.lastError = outage.reason
            }
            return change
        }
    }

    /// A 429. Returns whether it ended an outage.
    @discardableResult
    func recordRateLimit(_ id: Int, until: Date, message: String, now: Date = Date()) -> Bool {
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
            return Self.answered(id, &state) == .ended
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
            _ = Self.answered(id, &state)
            return health
        }
        try write { $0[id] = entry }
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
        try? write { shared in
            guard shared[id]?.state == .keyRefused else { return }
            shared[id]?.state = .ok
            shared[id]?.revision = nil
        }
    }

    /// Integrations whose endpoint is unavailable and due for a probe.
    func probesDue(now: Date = Date()) -> [Int] {
        state.withLock { state in state.outages.filter { $0.value.probeDue(now: now) }.map(\.key).sorted() }
    }

    /// Notes the job sent out as integration `id`'s probe (nil: none was waiting).
    func startProbe(_ id: Int, job: String?, now: Date = Date()) {
        state.withLock { state in state.outages[id]?.startProbe(job: job, now: now) }
    }

    /// The earliest end of a rate limit still in force, or the next probe, for the loop's timer.
    func nextRateLimitEnd(now: Date = Date()) -> Date? {
        state.withLock { state in
            let limits = state.health.values.compactMap { health -> Date? in
                guard health.state == .rateLimited, let until = health.until.flatMap(Timestamps.parse), until > now else { return nil }
                return until
            }
            let probes = state.outages.values.compactMap { $0.isUnavailable ? $0.probeAt : nil }
            return (limits + probes).min()
        }
    }

    /// Ids paused for a refused key.
    var refusedIDs: Set<Int> {
        state.withLock { Set($0.health.values.filter { $0.state == .keyRefused }.map(\.id)) }
    }

    /// Ids whose endpoint this worker finds unavailable, with the reason.
    var unavailable: [(id: Int, reason: String)] {
        state.withLock { state in state.outages.filter(\.value.isUnavailable).map { ($0.key, $0.value.reason) }.sorted { $0.id < $1.id } }
    }

    /// Writes local changes to the store, merged with what other workers and operators wrote.
    func flush() {
        let local = state.withLock { state -> [Int: IntegrationHealth]? in
            guard state.dirty else { return nil }
            state.dirty = false
            return state.health
        }
        guard let local else { return }
        try? write { shared in
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
    }

    /// Picks up pauses set by other workers and pauses cleared by operators, when the file changed.
    func refreshFromStore() {
        let stamp = FileStamp(path: store.path)
        guard state.withLock({ $0.fileStamp != stamp }) else { return }
        switch store.contents() {
        case .missing:
            state.withLock { $0.fileStamp = stamp }
        case .health(let shared):
            state.withLock { state in
                state.fileStamp = stamp
                Self.adopt(shared, into: &state)
            }
        case .unreadable(let reason):
            // Never taken for "no pauses": every pause this worker knows stands, and the next write repairs the file.
            reportUnreadable(reason)
            state.withLock { $0.fileStamp = stamp }
        }
    }

    // MARK: Private

    /// Read-modify-write of the shared file. What others wrote is adopted under the same lock, and the file's
    /// stamp is taken there too, so a pause another worker writes at the same moment is never skipped as ours.
    private func write(_ change: (inout [Int: IntegrationHealth]) -> Void) throws {
        let known = state.withLock { $0.health }
        let written = try store.update(known: known) { shared in
            change(&shared)
            state.withLock { Self.adopt(shared, into: &$0) }
        }
        state.withLock { $0.fileStamp = written.stamp }
        if let reason = written.replacedUnreadable { reportUnreadable(reason) }
    }

    private func reportUnreadable(_ reason: String) {
        let first = state.withLock { state -> Bool in
            defer { state.reportedUnreadable = reason }
            return state.reportedUnreadable != reason
        }
        guard first else { return }
        logger.error(
            "the shared integration health file is unreadable; keeping every pause this worker knows, and rewriting it",
            metadata: ["reason": "\(reason)", "kept_as": "\(store.path).unreadable"])
    }

    /// Adopts another worker's refusal unless we sent successfully since, and an operator's clear.
    private static func adopt(_ shared: [Int: IntegrationHealth], into state: inout State) {
        for (id, theirs) in shared {
            var mine = state.health[id] ?? theirs
            let theirsIsNewer = (theirs.lastErrorAt ?? "") > (mine.lastSuccessAt ?? "")
            if (theirs.state == .keyRefused && theirsIsNewer) || (mine.state == .keyRefused && theirs.state != .keyRefused) {
                mine.state = theirs.state
                mine.revision = theirs.revision
            }
            // Another worker's outage is its own finding; this worker finds its own, or sends.
            if mine.state == .unavailable && state.outages[id]?.isUnavailable != true { mine.state = .ok }
            if mine.lastError == nil { mine.lastError = theirs.lastError }
            state.health[id] = mine
        }
    }

    private static func noteError(_ id: Int, _ message: String, _ now: Date, _ state: inout State) {
        var health = state.health[id] ?? IntegrationHealth(id: id)
        health.lastError = message
        health.lastErrorAt = Timestamps.format(now)
        state.health[id] = health
        state.dirty = true
    }

    /// The endpoint answered: any outage is over.
    private static func answered(_ id: Int, _ state: inout State) -> Outage.Change {
        guard var outage = state.outages.removeValue(forKey: id) else { return .none }
        let change = outage.recordAnswer()
        if change == .ended, state.health[id]?.state == .unavailable { state.health[id]?.state = .ok }
        return change
    }
}
