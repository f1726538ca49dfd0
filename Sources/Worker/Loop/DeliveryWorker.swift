import Foundation
import Logging
import MailroomCore
import Registry
import SendGrid
import ServiceLifecycle
import Spool
import Synchronization

/// The delivery worker: claims ready jobs from its `JobQueue`, keeps up to `concurrency` sends in flight through
/// its `MailSender`, and concludes each claim with the outcome docs/spool.md#outcomes gives it, logging first.
///
/// It is the only place that ties the registry, the queue and the sender together. Its scheduling state is one
/// `WorkerState` under one lock. As a swift-service-lifecycle `Service`, a graceful shutdown (SIGTERM/SIGINT)
/// stops claiming, lets in-flight sends finish within `--grace` and puts the rest back to ready.
public final class DeliveryWorker: Service, Sendable {
    let options: WorkerOptions
    let queue: any JobQueue
    let registry: RegistryStore
    let sender: any MailSender
    let gate: IntegrationGate
    let logger: Logger
    let processEnvironment: [String: String]

    /// The worker's own threads (see `WorkerThreads`); they end when the worker does.
    let threads = WorkerThreads(count: 4, name: "mailroom-worker")
    let wakeup: Wakeup
    let state: Mutex<WorkerState>
    let directory: Mutex<ConfigDirectory>
    private let registryStamp = Mutex<FileStamp?>(nil)
    /// The last count of the queue, when it was taken and how long it took (see `refreshCounts`).
    private let counted = Mutex<(counts: StateCounts, at: ContinuousClock.Instant, took: Duration)?>(nil)

    public init(
        options: WorkerOptions, queue: any JobQueue, health: HealthStore, registry: RegistryStore, sender: any MailSender,
        logger: Logger, processEnvironment: [String: String] = ProcessInfo.processInfo.environment
    ) throws {
        self.options = options
        self.queue = queue
        self.registry = registry
        self.sender = sender
        self.logger = logger
        self.processEnvironment = processEnvironment
        state = Mutex(WorkerState(concurrency: options.concurrency, mode: options.mode))
        wakeup = Wakeup(executor: threads)
        gate = IntegrationGate(store: health, logger: logger, probeInterval: options.probeInterval.seconds)
        let configs = try registry.load()
        directory = Mutex(ConfigDirectory(environment: options.environment, configs: configs, processEnvironment: processEnvironment))
        registryStamp.withLock { $0 = FileStamp(path: registry.path) }
    }

    /// Jobs per state as of the loop's last count (nil before the first): what `/metrics` reports, so a scrape
    /// never counts a million files itself. Counted only with `options.countsJobs`.
    public var latestCounts: StateCounts? {
        counted.withLock { $0?.counts }
    }

    /// Asks the loop to reload the registry and reopen the delivery log (SIGHUP).
    public func reload() {
        state.withLock { $0.requestReload() }
        wakeup.signal()
    }

    /// Stops claiming; in-flight sends get `--grace` to finish (what a graceful shutdown of the group calls).
    public func requestStop() {
        state.withLock { $0.stop() }
        wakeup.signal()
    }

    deinit {
        threads.shutdown()
    }

    public func run() async throws {
        try await withTaskExecutorPreference(threads) {
            try await runOnWorkerThreads()
        }
    }

    private func runOnWorkerThreads() async throws {
        try startUp()
        let registryFolder = (registry.path as NSString).deletingLastPathComponent
        let readyFolder = queue.readyFolder
        let watcher = FolderWatcher(folders: [readyFolder, registryFolder].compactMap { $0 }, logger: logger) { [weak self] index in
            guard let self else { return }
            let registryIndex = readyFolder == nil ? 0 : 1
            if index == nil || index != registryIndex { self.state.withLock { $0.raiseReady() } }
            if index == nil || index == registryIndex { self.checkRegistryStamp() }
            self.wakeup.signal()
        }
        defer { watcher?.stop() }
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                await loop(group: &group)
                await finishInFlight()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            self.requestStop()
        }
        wakeup.cancelTimer()
        queue.close()
        gate.flush()
        logger.info("worker stopped")
    }

    private func startUp() throws {
        let recovered = try queue.recoverDeadClaims()
        if !recovered.isEmpty {
            logger.notice("recovered claims of a stopped worker", metadata: ["jobs": "\(recovered.count)"])
        }
        releaseHeldJobsThatCanGo()
        let usable = directory.withLock { $0.usable.keys.sorted() }
        logger.info(
            "worker started",
            metadata: [
                "environment": "\(options.environment.rawValue)", "mode": "\(options.mode.rawValue)",
                "concurrency": "\(options.concurrency)", "integrations": "\(usable)",
            ])
    }

    private func loop(group: inout DiscardingTaskGroup) async {
        let clock = ContinuousClock()
        var nextRescan = clock.now
        var nextRecovery = clock.now + options.recoveryInterval
        var promotedOnce = false
        while true {
            let now = Date()
            if state.withLock({ $0.takeReloadRequest() }) {
                reloadRegistry(reason: "SIGHUP")
                reopenLog()
            }
            if clock.now >= nextRescan {
                nextRescan = clock.now + options.rescanInterval
                state.withLock { $0.raiseReady() }
                checkRegistryStamp()
                gate.refreshFromStore()
                gate.flush()
                if options.mode != .once || !promotedOnce { promoteDeferred(now: now, force: true) }
                promotedOnce = true
                refreshCounts()
            } else if options.mode != .once {
                promoteDeferred(now: now, force: false)
            }
            releaseProbes(now: now)
            if clock.now >= nextRecovery {
                nextRecovery = clock.now + options.recoveryInterval
                recoverDeadClaims()
                // A safety net: jobs held for a pause that has ended go back even if the moment was missed.
                releaseHeldJobsThatCanGo()
            }
            if state.withLock({ $0.takeRegistryChange() }) { reloadRegistry(reason: "registry changed") }
            retryKeptOutcomes()

            switch state.withLock({ $0.next() }) {
            case .claim(let limit, let ticket):
                claimAndStart(limit: limit, ticket: ticket, group: &group)
            case .wait:
                await wakeup.wait(until: nextTimer(now: Date(), rescanAt: nextRescan, clock: clock))
            case .finishUnlessDeferred:
                guard (try? queue.nextDue()) ?? nil != nil else { return }
                await wakeup.wait(until: nextTimer(now: Date(), rescanAt: nextRescan, clock: clock))
            case .finish:
                return
            }
        }
    }

    /// Claims up to `limit` jobs and starts a send for each. Claims taken while a stop arrived go back untouched.
    private func claimAndStart(limit: Int, ticket: Int, group: inout DiscardingTaskGroup) {
        let claims: [JobClaim]
        do {
            claims = try queue.claim(limit: limit)
        } catch {
            logger.error("cannot claim jobs", metadata: ["error": "\(error)"])
            state.withLock { $0.claimFailed(ticket: ticket) }
            return
        }
        let toSend = state.withLock { $0.claimed(claims, limit: limit, ticket: ticket) }
        if toSend.count < claims.count { claims.forEach(putBack) }
        for claim in toSend {
            group.addTask {
                await self.process(claim)
                self.wakeup.signal()
            }
        }
    }

    /// When the loop must look again even if nothing signals: the next rescan, deferred job, rate-limit end, probe
    /// or retry of a kept outcome.
    private func nextTimer(now: Date, rescanAt: ContinuousClock.Instant, clock: ContinuousClock) -> ContinuousClock.Instant {
        let current = clock.now
        func at(_ date: Date) -> ContinuousClock.Instant { current + .milliseconds(Int64(max(0, date.timeIntervalSince(now)) * 1000) + 1) }
        let (due, promotionAllowedAt, retryAt) = state.withLock { ($0.nextDeferredDue, $0.promotionAllowedAt, $0.retryAt) }
        var deadline = rescanAt
        if let due { deadline = min(deadline, max(at(due), promotionAllowedAt)) }
        if let end = gate.nextRateLimitEnd(now: now) { deadline = min(deadline, at(end)) }
        if let retryAt { deadline = min(deadline, retryAt) }
        return max(deadline, current + .milliseconds(1))
    }

    /// After a stop: lets in-flight sends finish within the grace period, then puts the rest back to ready.
    private func finishInFlight() async {
        let deadline = ContinuousClock.now + options.grace
        while state.withLock({ !$0.inFlight.isEmpty }) && ContinuousClock.now < deadline {
            await wakeup.wait(until: min(deadline, ContinuousClock.now + .milliseconds(100)))
        }
        let abandoned = state.withLock { $0.abandonInFlight() }
        abandoned.forEach(putBack)
        if !abandoned.isEmpty {
            logger.notice("grace period over; put unfinished jobs back to ready", metadata: ["jobs": "\(abandoned.count)"])
        }
        // Outcomes the disk refused go back too: the next run may send them again (at most once per such claim).
        state.withLock { $0.abandonKept() }.map(\.claim).forEach(putBack)
    }

    /// Puts a claim back to ready untouched; a failure leaves it for the recovery of the next start.
    func putBack(_ claim: JobClaim) {
        do {
            try queue.conclude(claim, .requeued, event: nil)
        } catch {
            logger.error("cannot put a claim back; it will be recovered at the next start", metadata: ["job": "\(claim.id)", "error": "\(error)"])
        }
    }

    /// Marks the registry for reload when its file changed (cheap: one stat).
    func checkRegistryStamp() {
        let stamp = FileStamp(path: registry.path)
        let changed = registryStamp.withLock { current -> Bool in
            guard current != stamp else { return false }
            current = stamp
            return true
        }
        if changed { state.withLock { $0.noteRegistryChanged() } }
    }

    private func reopenLog() {
        do {
            try queue.reopenLog()
            logger.info("delivery log reopened")
        } catch {
            logger.error("cannot reopen the delivery log", metadata: ["error": "\(error)"])
        }
    }

    private func recoverDeadClaims() {
        do {
            let recovered = try queue.recoverDeadClaims()
            if !recovered.isEmpty {
                logger.notice("recovered claims of a dead worker", metadata: ["jobs": "\(recovered.count)"])
                state.withLock { $0.raiseReady() }
            }
        } catch {
            logger.error("cannot recover orphaned claims", metadata: ["error": "\(error)"])
        }
    }

    /// Counts the queue's jobs for `/metrics`, on a rescan, at most every 2 s and never more than a twentieth of
    /// the time: a count of a million-job spool takes seconds, and the loop must not become a counter.
    private func refreshCounts() {
        guard options.countsJobs else { return }
        let now = ContinuousClock.now
        if let last = counted.withLock({ $0 }), now - last.at < max(.seconds(2), last.took * 20) { return }
        do {
            let counts = try queue.counts()
            counted.withLock { $0 = (counts, now, ContinuousClock.now - now) }
        } catch {
            logger.warning("cannot count the jobs for /metrics", metadata: ["error": "\(error)"])
        }
    }

    /// Moves deferred jobs whose time has come back to ready: on every rescan, or when the earliest due time passes.
    func promoteDeferred(now: Date, force: Bool) {
        guard state.withLock({ $0.shouldPromote(now: now, clock: .now, force: force) }) else { return }
        do {
            let started = ContinuousClock.now
            let promoted = try queue.promoteDue(now: now)
            let next = try queue.nextDue()
            state.withLock { state in
                state.promoted(next: next, took: ContinuousClock.now - started, now: .now)
                if promoted > 0 { state.raiseReady() }
            }
        } catch {
            logger.error("cannot promote deferred jobs", metadata: ["error": "\(error)"])
        }
    }
}
