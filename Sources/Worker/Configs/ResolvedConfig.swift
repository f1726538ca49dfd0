import MailroomCore

/// An active integration config of the worker's environment, with its key resolved and ready to send.
public struct ResolvedConfig: Sendable, Equatable {
    public var id: Int
    public var environment: DeliveryEnvironment
    public var from: EmailAddress
    public var key: APIKey
    /// Changes whenever the key or the sender changes; a paused integration is resumed when it does.
    public var revision: String

    public init(id: Int, environment: DeliveryEnvironment, from: EmailAddress, key: APIKey, revision: String) {
        self.id = id
        self.environment = environment
        self.from = from
        self.key = key
        self.revision = revision
    }
}
