import Foundation

/// What `/readyz` reports: the worker can deliver when its spool is writable and no usable
/// integration is paused for a refused key or waiting for its endpoint to answer.
extension DeliveryWorker {
    /// Ids of usable integrations whose key SendGrid refused under their current config.
    public func pausedIntegrations() -> [Int] {
        let usable = directory.withLock { $0.usable }
        return usable.values.filter { config in
            if case .keyRefused = gate.verdict(for: config) { return true }
            return false
        }.map(\.id).sorted()
    }

    /// Integrations whose endpoint this worker finds unavailable (see `Outage`).
    public func unavailableIntegrations() -> [Int] {
        gate.unavailable.map(\.id)
    }

    /// Whether the worker can deliver, with a reason for each thing in the way.
    public func readiness() -> (ready: Bool, reasons: [String]) {
        var reasons = queue.problems()
        for id in pausedIntegrations() {
            reasons.append("integration \(id) is paused: SendGrid refused its key")
        }
        for (id, reason) in gate.unavailable {
            reasons.append("integration \(id) is unavailable: \(reason)")
        }
        if directory.withLock({ $0.usable.isEmpty }) {
            reasons.append("no usable \(options.environment.rawValue) integration in the registry")
        }
        return (reasons.isEmpty, reasons)
    }
}
