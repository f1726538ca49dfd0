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
        for (id, config) in usable where !isRefused(config) {
            integrations.append(id)
        }
        if !usable.isEmpty { integrations.append(0) }
        for id in integrations.sorted() {
            do {
                let released = try spool.releaseHeld(integration: id)
                for job in released {
                    try? log.record(
                        DeliveryEvent(
                            job: job, event: .requeued, integration: id == 0 ? nil : id,
                            error: "released: integration \(id == 0 ? "config" : String(id)) can send again"))
                }
                if !released.isEmpty {
                    logger.notice("released held jobs", metadata: ["integration": "\(id)", "jobs": "\(released.count)"])
                    readyHint.raise()
                    wakeup.signal()
                }
            } catch {
                logger.error("cannot release held jobs", metadata: ["integration": "\(id)", "error": "\(error)"])
            }
        }
    }

    private func isRefused(_ config: ResolvedConfig) -> Bool {
        if case .keyRefused = gate.verdict(for: config) { return true }
        return false
    }
}
