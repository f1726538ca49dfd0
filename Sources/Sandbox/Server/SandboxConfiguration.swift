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
    /// How many bytes of stored records to keep (oldest dropped first): `--max-bytes`.
    public var maximumStoredBytes: Int
    /// When set, the inbox page and the control routes (`/messages`, `/faults`, `/stats`) need it:
    /// `Authorization: Bearer TOKEN`, or the cookie the page's sign-in sets. Mail Send keeps its API keys.
    public var token: SandboxToken?

    /// 256 MiB: room for thousands of ordinary messages, far below a staging host's memory.
    public static let defaultMaximumBytes = 256 << 20

    public init(
        host: String = "127.0.0.1", port: Int = 0, storeFolder: String? = nil, keys: [APIKey] = [], verifiedSenders: [String] = [],
        faults: FaultPlan = FaultPlan(), maximumStoredMessages: Int = 200_000, maximumStoredBytes: Int = defaultMaximumBytes,
        token: SandboxToken? = nil
    ) {
        self.host = host
        self.port = port
        self.storeFolder = storeFolder
        self.keys = keys
        self.verifiedSenders = verifiedSenders
        self.faults = faults
        self.maximumStoredMessages = maximumStoredMessages
        self.maximumStoredBytes = maximumStoredBytes
        self.token = token
    }
}
