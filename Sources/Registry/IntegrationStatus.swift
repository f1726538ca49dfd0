/// Whether a config may be used to send: new configs are `active`; `deactivate` parks one
/// without losing it.
public enum IntegrationStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case active
    case inactive
}
