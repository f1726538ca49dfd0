import Foundation
import MailroomCore
import Registry
import Worker

/// The integrations part of `mailroom status`: each config's environment and status from the registry,
/// with the health the workers recorded (ok, rate limited until, key refused) and its last error. Never the key.
extension StatusReport.Section {
    static func integrations(layout: HomeLayout, now: Date) -> StatusReport.Section {
        let configs: [IntegrationConfig]
        do {
            configs = try RegistryStore(path: layout.registry).load()
        } catch {
            let message = "\(error)"
            return .init(key: "integrations", json: .object(["error": .string(message)]), text: ["Integrations: \(message)"])
        }
        let health = HealthStore(spool: layout.spool).read()
        var rows: [JSONValue] = []
        var lines = ["Integrations:"]
        if configs.isEmpty { lines.append("  none registered") }
        for config in configs.sorted(by: { $0.id < $1.id }) {
            let entry = health[config.id]
            let state = entry?.effectiveState(now: now) ?? .ok
            let until = state == .rateLimited ? entry?.until : nil
            rows.append(
                .object([
                    "id": .int(config.id),
                    "environment": .string(config.environment.rawValue),
                    "status": .string(config.status.rawValue),
                    "from_email": .string(config.fromEmail),
                    "health": .string(state.rawValue),
                    "paused_until": until.map { .string($0) } ?? .null,
                    "last_error": entry?.lastError.map { .string($0) } ?? .null,
                    "last_error_at": entry?.lastErrorAt.map { .string($0) } ?? .null,
                    "last_success_at": entry?.lastSuccessAt.map { .string($0) } ?? .null,
                ]))
            var line = "  #\(config.id) \(config.environment.rawValue) \(config.status.rawValue) \(config.fromEmail)  health: \(state.rawValue)"
            if let until { line += " until \(until)" }
            if let error = entry?.lastError { line += "  last error: \(error)" }
            lines.append(line)
        }
        return .init(key: "integrations", json: .array(rows), text: lines)
    }
}
