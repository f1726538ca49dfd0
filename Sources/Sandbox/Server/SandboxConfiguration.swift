import MailroomCore

/// Everything `mailroom sandbox` is started with.
public struct SandboxConfiguration: Sendable {
    /// Address to bind; `port` 0 picks a free port.
    public var host: String
    public var port: Int
    /// Folder for one JSON file per accepted message, or nil to keep them in memory only.
    public var storeFolder: String?
    /// Keys accepted; empty means any key starting `SG.`.
    public var keys: [APIKey]
    /// Sender identities accepted as verified (`ops@example.com`, or `@example.com` for a whole
    /// domain); empty means every sender is verified. Others get SendGrid's 403.
    public var verifiedSenders: [String]
    /// Faults active from the start.
    public var faults: FaultPlan
    /// How many accepted messages to keep in memory (oldest dropped first).
    public var maximumStoredMessages: Int

    public init(
        host: String = "127.0.0.1", port: Int = 0, storeFolder: String? = nil, keys: [APIKey] = [], verifiedSenders: [String] = [],
        faults: FaultPlan = FaultPlan(), maximumStoredMessages: Int = 200_000
    ) {
        self.host = host
        self.port = port
        self.storeFolder = storeFolder
        self.keys = keys
        self.verifiedSenders = verifiedSenders
        self.faults = faults
        self.maximumStoredMessages = maximumStoredMessages
    }
}
