/// One accepted message as the sandbox keeps it: the record's JSON text, built once when the
/// message is accepted, plus the few fields the filters of `GET /messages` need.
///
/// The record holds `key_fingerprint`, never the key.
struct MessageRecord: Sendable {
    let id: String
    let receivedAtNanoseconds: Int
    let keyFingerprint: String?
    /// Lowercased to/cc/bcc addresses across all personalizations.
    let recipients: [String]
    let sandboxMode: Bool
    /// What the inbox list shows and searches.
    let summary: MessageSummary
    /// `{"id":…,"received_at":…,"received_at_unix_ns":…,"key_fingerprint":…,"sandbox_mode":…,"request":…}`
    let json: String

    /// What this record costs the store's byte budget: its JSON text.
    var byteCount: Int { json.utf8.count }

    init(
        id: String, receivedAtNanoseconds: Int, keyFingerprint: String?, sandboxMode: Bool, recipients: [String], summary: MessageSummary,
        requestJSON: String
    ) {
        self.id = id
        self.receivedAtNanoseconds = receivedAtNanoseconds
        self.keyFingerprint = keyFingerprint
        self.recipients = recipients
        self.sandboxMode = sandboxMode
        self.summary = summary
        var text = "{\"id\":\""
        text.reserveCapacity(requestJSON.utf8.count + 200)
        text += id
        text += "\",\"received_at\":\""
        text += WallClock.iso8601(nanoseconds: receivedAtNanoseconds)
        text += "\",\"received_at_unix_ns\":"
        text += String(receivedAtNanoseconds)
        text += ",\"key_fingerprint\":"
        text += JSONText.quotedOrNull(keyFingerprint)
        text += ",\"sandbox_mode\":"
        text += sandboxMode ? "true" : "false"
        text += ",\"request\":"
        text += requestJSON
        text += "}"
        json = text
    }

    /// Rebuilds a record from a file written by an earlier run, or nil if the file is not one.
    init?(storedJSON: String) {
        var utf8 = Array(storedJSON.utf8)
        let tree: JSONTree? = utf8.withUnsafeMutableBytes { raw in try? JSONParser.parse(UnsafeRawBufferPointer(raw)) }
        guard let tree, let id = tree["id"]?.string, let received = tree["received_at_unix_ns"]?.integer else { return nil }
        self.id = id
        self.receivedAtNanoseconds = received
        self.keyFingerprint = tree["key_fingerprint"]?.string
        var found: [String] = []
        for personalization in tree["request"]?["personalizations"]?.array ?? [] {
            for kind in RecipientKind.allCases {
                for entry in personalization[kind.rawValue]?.array ?? [] {
                    if let email = entry["email"]?.string { found.append(email.lowercased()) }
                }
            }
        }
        self.recipients = found
        self.sandboxMode = tree["sandbox_mode"]?.bool ?? false
        self.summary = MessageSummary(request: tree["request"])
        self.json = storedJSON
    }
}
