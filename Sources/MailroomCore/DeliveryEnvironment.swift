/// The platform environment a config and a worker belong to.
public enum DeliveryEnvironment: String, Sendable, Hashable, Codable, CaseIterable {
    case stage
    case production
}
