import MailroomCore
import Registry

/// The registry as one worker sees it: the active SendGrid configs of its environment with their
/// keys resolved, and enough about the others to explain why a job cannot use them.
public struct ConfigDirectory: Sendable {
    public let environment: DeliveryEnvironment
    /// Active configs of this environment whose keys resolved, by id.
    public private(set) var usable: [Int: ResolvedConfig] = [:]
    /// Every config in the registry, by id, for explanations.
    public private(set) var all: [Int: IntegrationConfig] = [:]
    /// Active configs of this environment whose key reference did not resolve, with the reason (never a key).
    public private(set) var unresolved: [Int: String] = [:]

    public init(environment: DeliveryEnvironment, configs: [IntegrationConfig], processEnvironment: [String: String]) {
        self.environment = environment
        for config in configs {
            all[config.id] = config
            guard config.isActive, config.environment == environment else { continue }
            do {
                let key = try config.apiKey.resolve(environment: processEnvironment)
                usable[config.id] = ResolvedConfig(
                    id: config.id, environment: config.environment,
                    from: EmailAddress(email: config.fromEmail, name: config.fromName.isEmpty ? nil : config.fromName),
                    key: key,
                    revision: "\(key.fingerprint)|\(config.fromEmail)|\(config.fromName)|\(config.updatedAt)")
            } catch {
                unresolved[config.id] = "\(error)"
            }
        }
    }

    /// Ids of the active configs of this environment, resolved or not, in order.
    public var activeIDs: [Int] { (Array(usable.keys) + Array(unresolved.keys)).sorted() }

    /// Picks the config for a job that names `integration` (or none).
    public func select(integration: Int?) -> ConfigSelection {
        if let id = integration {
            if let config = usable[id] { return .use(config) }
            if let problem = unresolved[id] { return .hold(integration: id, reason: "integration \(id) cannot be used: \(problem)") }
            guard let config = all[id] else {
                return .fail("integration \(id) does not exist in the registry" + activeSuffix)
            }
            if config.environment != environment {
                return .fail("integration \(id) is a \(config.environment.rawValue) config; this worker sends \(environment.rawValue)" + activeSuffix)
            }
            return .fail("integration \(id) is inactive" + activeSuffix)
        }
        let active = activeIDs
        switch active.count {
        case 0:
            return .hold(integration: 0, reason: "no active \(environment.rawValue) integration in the registry; add or activate one")
        case 1:
            let id = active[0]
            if let config = usable[id] { return .use(config) }
            return .hold(integration: id, reason: "integration \(id) cannot be used: \(unresolved[id] ?? "unknown problem")")
        default:
            let ids = active.map(String.init).joined(separator: ", ")
            return .fail("job names no integration and \(environment.rawValue) has several active ones (\(ids)); set \"integration\" in the job")
        }
    }

    private var activeSuffix: String {
        let ids = activeIDs
        return ids.isEmpty ? "" : " (active \(environment.rawValue) integrations: \(ids.map(String.init).joined(separator: ", ")))"
    }
}
