import MailroomCore

/// One stored SendGrid integration config, in the platform's terms (docs/registry.md).
///
/// Printing a config is safe: its key is a `KeyReference`, whose printed forms show a
/// fingerprint or the reference text, never a key.
public struct IntegrationConfig: Sendable, Hashable {
    /// The config's id, given by the registry; never reused after a removal.
    public var id: Int
    /// The integration type; always `SendGridIntegration.id` (4).
    public var integration: Int
    public var status: IntegrationStatus
    public var environment: DeliveryEnvironment
    /// The key, or where to find it when a worker loads the registry.
    public var apiKey: KeyReference
    /// The default sender address.
    public var fromEmail: String
    /// The sender's display name; empty when none was given.
    public var fromName: String
    /// ISO 8601 UTC with milliseconds.
    public var createdAt: String
    /// ISO 8601 UTC with milliseconds; changes on every update.
    public var updatedAt: String

    public init(
        id: Int, integration: Int = SendGridIntegration.id, status: IntegrationStatus, environment: DeliveryEnvironment,
        apiKey: KeyReference, fromEmail: String, fromName: String, createdAt: String, updatedAt: String
    ) {
        self.id = id
        self.integration = integration
        self.status = status
        self.environment = environment
        self.apiKey = apiKey
        self.fromEmail = fromEmail
        self.fromName = fromName
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public var isActive: Bool { status == .active }

    /// The default sender as a mailbox (no display name when `fromName` is empty).
    public var sender: EmailAddress {
        EmailAddress(email: fromEmail, name: fromName.isEmpty ? nil : fromName)
    }
}
