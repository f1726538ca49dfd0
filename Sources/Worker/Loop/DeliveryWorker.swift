import Foundation
import Logging
import MailroomCore
import Registry
import SendGrid
import ServiceLifecycle
import Spool
import Synchronization

/// The delivery worker: claims ready jobs from the spool, keeps up to `concurrency` sends in flight,
/// and moves each job to the state its outcome calls for (SPEC §5), logging every outcome first.
///
/// It is the only place that ties the registry, the spool and the sender together. As a
/// swift-service-lifecycle `Service`, a graceful shutdown (SIGTERM/SIGINT) stops claiming, lets
/// in-flight sends finish within the grace period and puts the rest back to ready.
public final class DeliveryWorker: Service, Sendable {
    let options: WorkerOptions
    let spool: Spool
    let registry: RegistryStore
    let client: SendGridClient
    let log: DeliveryLogWriter
    let gate: IntegrationGate
    let logger: Logger
    let processEnvironment: [String: String]

    let wakeup = Wakeup()
    let inFlight = InFlight()
    let unconcluded = Unconcluded()
    let directory: Mutex<ConfigDirectory>
    private let stopping = Atomic<Bool>(false)
    private let reloadRequested = Atomic<Bool>(false)
    private let registryStamp = Mutex<FileStamp?>(nil)
    let readyHint = ReadyHint()
    let nextDeferredDue = Mutex<Date?>(nil)
    let promotionAllowedAt = Mutex<ContinuousClock.Instant>(.now)

    public init(
        options: WorkerOptions, spool: Spool, registry: RegistryStore, client: SendGridClient, log: DeliveryLogWriter,
        logger: Logger, processEnvironment: [String: String] = ProcessInfo.processInfo.environment
    ) throws {
        self.options = options
        self.spool = spool
        self.registry = registry
        self.client = client
        self.log = log
        self.logger = logger
        self.processEnvironment = processEnvironment
        gate = IntegrationGate(store: HealthStore(spool: spool.root), logger: logger, probeInterval: options.probeInterval.seconds)
        let configs = try registry.load()
        directory = Mutex(ConfigDirectory(environment: options.environment, configs: configs, processEnvironment: processEnvironment))
        registryStamp.withLock { $0 = FileStamp(path: registry.path) }
    }

    /// Asks the loop to reload the registry and reopen the delivery log (SIGHUP).
    public func reload() {
        reloadRequested.store(true, ordering: .relaxed)
        wakeup.signal()
    }

    public func run() async throws {
        try startUp()
        let watcher = FolderWatcher(folders: [spool.readyFolder, (registry.path as NSString).deletingLastPathComponent], logger: logger) {
            [weak self] index in
            guard let self else { return }
            if index == 0 || index == nil { self.readyHint.raise() }
            if index == 1 || index == nil { self.checkRegistryStamp() }
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
            self.stopping.store(true, ordering: .relaxed)
            self.wakeup.signal()
        }
        wakeup.cancelTimer()
        spool.retire()
        gate.flush()
        log.sync()
        logger.info("worker stopped")
    }

    private func startUp() throws {
        let recovered = try spool.recoverOrphanedClaims()
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
        while !stopping.load(ordering: .relaxed) {
            let now = Date()
            if reloadRequested.exchange(false, ordering: .relaxed) {
                reloadRegistry(reason: "SIGHUP")
                reopenLog()
            }
            if clock.now >= nextRescan {
                nextRescan = clock.now + options.rescanInterval
                readyHint.raise()
                checkRegistryStamp()
                gate.refreshFromStore()
                gate.flush()
                if options.mode != .once || !promotedOnce { promoteDeferred(now: now, force: true) }
                promotedOnce = true
            } else if options.mode != .once {
                promoteDeferred(now: now, force: false)
            }
            releaseProbes(now: now)
            if clock.now >= nextRecovery {
                nextRecovery = clock.now + options.recoveryInterval
                recoverOrphans()
                // A safety net: jobs held for a pause that has ended go back even if the moment was missed.
                releaseHeldJobsThatCanGo()
            }
            if directoryNeedsReload.exchange(false, ordering: .relaxed) { reloadRegistry(reason: "registry changed") }

            let claimed = claimAndStart(group: &group)
            if claimed > 0 { continue }
            if inFlight.count == 0 && unconcluded.isIdle && isFinished() { return }
            await wakeup.wait(until: nextTimer(now: Date(), rescanAt: nextRescan, clock: clock))
        }
    }

    /// Claims up to the free capacity and starts a send for each claim; returns how many it started.
    private func claimAndStart(group: inout DiscardingTaskGroup) -> Int {
        let capacity = options.concurrency - inFlight.count
        // While an outcome waits for the disk to take it, new claims would only pile up more of them.
        guard capacity > 0, unconcluded.isEmpty, readyHint.isRaised else { return 0 }
        let seen = readyHint.snapshot()
        let entries: [ClaimedEntry]
        do {
            entries = try spool.claimBatch(limit: capacity)
        } catch {
            logger.error("cannot claim jobs", metadata: ["error": "\(error)"])
            readyHint.clear(upTo: seen)
            return 0
        }
        if entries.count < capacity { readyHint.clear(upTo: seen) }
        for entry in entries {
            let claim = entry.claim
            inFlight.insert(claim)
            group.addTask {
                await self.process(entry)
                self.wakeup.signal()
            }
        }
        return entries.count
    }

    /// Whether `--once` or `--drain` is done (the daemon never is).
    private func isFinished() -> Bool {
        switch options.mode {
        case .daemon:
            return false
        case .once:
            return !readyHint.isRaised
        case .drain:
            guard !readyHint.isRaised else { return false }
            let pending = (try? spool.nextDeferredDue()) ?? nil
            return pending == nil
        }
    }

    /// When the loop must look again even if nothing signals: the next rescan, deferred job, rate-limit end or probe.
    private func nextTimer(now: Date, rescanAt: ContinuousClock.Instant, clock: ContinuousClock) -> ContinuousClock.Instant {
        let current = clock.now
        func at(_ date: Date) -> ContinuousClock.Instant { current + .milliseconds(Int64(max(0, date.timeIntervalSince(now)) * 1000) + 1) }
        var deadline = rescanAt
        if let due = nextDeferredDue.withLock({ $0 }) {
            deadline = min(deadline, max(at(due), promotionAllowedAt.withLock { $0 }))
        }
        if let end = gate.nextRateLimitEnd(now: now) { deadline = min(deadline, at(end)) }
        return max(deadline, current + .milliseconds(1))
    }

    /// After SIGTERM: lets in-flight sends finish within the grace period, then puts the rest back to ready.
    private func finishInFlight() async {
        let deadline = ContinuousClock.now + options.grace
        while inFlight.count > 0 && ContinuousClock.now < deadline {
            await wakeup.wait(until: min(deadline, ContinuousClock.now + .milliseconds(100)))
        }
        let abandoned = inFlight.abandonAll()
        for claim in abandoned {
            do {
                try spool.requeue(claim)
            } catch {
                logger.error(
                    "cannot put a claim back; it will be recovered at the next start", metadata: ["job": "\(claim.id)", "error": "\(error)"])
            }
        }
        if !abandoned.isEmpty {
            logger.notice("grace period over; put unfinished jobs back to ready", metadata: ["jobs": "\(abandoned.count)"])
        }
        putBackUnconcluded()
    }

    let directoryNeedsReload = Atomic<Bool>(false)

    /// Marks the registry for reload when its file changed (cheap: one stat).
    func checkRegistryStamp() {
        let stamp = FileStamp(path: registry.path)
        let changed = registryStamp.withLock { current -> Bool in
            guard current != stamp else { return false }
            current = stamp
            return true
        }
        if changed { directoryNeedsReload.store(true, ordering: .relaxed) }
    }

    private func reopenLog() {
        do {
            try log.reopen()
            logger.info("delivery log reopened", metadata: ["path": "\(log.path)"])
        } catch {
            logger.error("cannot reopen the delivery log", metadata: ["error": "\(error)"])
        }
    }

    private func recoverOrphans() {
        do {
            let recovered = try spool.recoverOrphanedClaims()
            if !recovered.isEmpty {
                logger.notice("recovered claims of a dead worker", metadata: ["jobs": "\(recovered.count)"])
                readyHint.raise()
            }
        } catch {
            logger.error("cannot recover orphaned claims", metadata: ["error": "\(error)"])
        }
    }

    /// Moves deferred jobs whose time has come back to ready: on every rescan, or when the earliest due time passes.
    ///
    /// A promotion reads the whole `deferred/` folder, so between two of them the loop waits at least twenty
    /// times as long as the last one took (100 ms at least): a few jobs retry promptly, a million don't
    /// turn the loop into a folder scanner.
    func promoteDeferred(now: Date, force: Bool) {
        if !force {
            guard let due = nextDeferredDue.withLock({ $0 }), due <= now else { return }
            guard ContinuousClock.now >= promotionAllowedAt.withLock({ $0 }) else { return }
        }
        do {
            let started = ContinuousClock.now
            let promoted = try spool.promoteDueDeferred(now: now)
            let next = try spool.nextDeferredDue()
            let took = ContinuousClock.now - started
            promotionAllowedAt.withLock { $0 = ContinuousClock.now + max(.milliseconds(100), took * 20) }
            nextDeferredDue.withLock { $0 = next }
            if promoted > 0 { readyHint.raise() }
        } catch {
            logger.error("cannot promote deferred jobs", metadata: ["error": "\(error)"])
        }
    }

    /// Notes a job this worker deferred, so the loop wakes for it.
    func noteDeferred(until date: Date) {
        nextDeferredDue.withLock { current in
            if current == nil || date < current! { current = date }
        }
    }
}
