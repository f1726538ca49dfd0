import Foundation
import Registry

/// Reloading the registry without a restart, and releasing jobs held for configs that changed.
extension DeliveryWorker {
    /// Loads the registry again; a broken file keeps the last good configs and logs why.
    func reloadRegistry(reason: String) {
        let configs: [IntegrationConfig]
        do {
            configs = try registry.load()
        } catch {
            logger.error("registry reload failed; keeping the last good registry", metadata: ["reason": "\(reason)", "error": "\(error)"])
            return
        }
        let fresh = ConfigDirectory(environment: options.environment, configs: configs, processEnvironment: processEnvironment)
        let previous = directory.withLock { current -> ConfigDirectory in
            defer { current = fresh }
            return current
        }
        for (id, config) in fresh.usable where previous.usable[id]?.revision != config.revision {
            gate.resume(id)
        }
        for (id, problem) in fresh.unresolved {
            logger.error("integration key reference does not resolve", metadata: ["integration": "\(id)", "error": "\(problem)"])
        }
        logger.info("registry reloaded", metadata: ["reason": "\(reason)", "usable": "\(fresh.usable.keys.sorted())"])
        releaseHeldJobsThatCanGo()
    }

    /// Puts jobs the worker held back to ready when their integration can send again: usable now and
    /// not paused under its current revision (or, for jobs that named no config, when one is usable).
    func releaseHeldJobsThatCanGo() {
        let usable = directory.withLock { $0.usable }
        var integrations: [Int] = []
        for (id, config) in usable where gate.verdict(for: config) == .send || isRateLimited(config) {
            integrations.append(id)
        }
        if !usable.isEmpty { integrations.append(0) }
        for id in integrations.sorted() {
            let released = releaseHeld(integration: id, reason: "released: integration \(id == 0 ? "config" : String(id)) can send again")
            if !released.isEmpty { logger.notice("released held jobs", metadata: ["integration": "\(id)", "jobs": "\(released.count)"]) }
        }
    }

    private func isRateLimited(_ config: ResolvedConfig) -> Bool {
        if case .rateLimited = gate.verdict(for: config) { return true }
        return false
    }

    /// Releases the jobs held for `integration` if it can send now (usable, neither paused nor unavailable).
    func releaseIfItCanSend(_ integration: Int) {
        guard let config = directory.withLock({ $0.usable[integration] }) else { return }
        guard gate.verdict(for: config) == .send || isRateLimited(config) else { return }
        releaseHeld(integration: integration, reason: "released: integration \(integration) can send again")
    }

    /// The endpoint of `config` answers again: every job held for its outage goes back to ready.
    func endOutage(_ config: ResolvedConfig) {
        logger.notice("integration available again: its endpoint answers", metadata: ["integration": "\(config.id)"])
        gate.flush()
        releaseHeld(integration: config.id, reason: "released: integration \(config.id) answers again")
    }

    /// Sends one held job of each integration due for a probe back to ready (see `Outage`).
    func releaseProbes(now: Date) {
        for id in gate.probesDue(now: now) {
            let released = releaseHeld(integration: id, limit: 1, reason: "released as a probe: integration \(id) has been unavailable")
            gate.startProbe(id, job: released.first, now: now)
        }
    }

    /// Moves up to `limit` jobs held for `integration` back to ready, each logged `requeued` before it moves.
    @discardableResult
    func releaseHeld(integration id: Int, limit: Int = .max, reason: String) -> [String] {
        do {
            let released = try queue.releaseHeld(integration: id, limit: limit) { job in
                DeliveryEvent(job: job, event: .requeued, integration: id == 0 ? nil : id, error: reason)
            }
            if !released.isEmpty {
                state.withLock { $0.raiseReady() }
                wakeup.signal()
            }
            return released
        } catch {
            logger.error("cannot release held jobs", metadata: ["integration": "\(id)", "error": "\(error)"])
            return []
        }
    }
}
