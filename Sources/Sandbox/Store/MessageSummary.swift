/// The few fields of a message the inbox list shows and searches, taken from the request once when
/// the message is accepted (or loaded), so listing a page never re-reads the full records.
struct MessageSummary: Sendable {
    /// The first `to` address of the first personalization.
    var firstRecipient: String?
    var toCount = 0
    var ccCount = 0
    var bccCount = 0
    /// The message subject, else the first personalization's.
    var subject: String?
    var templateID: String?
    var categories: [String] = []
    var batchID: String?
    var sendAt: Int?
    var attachmentCount = 0
    /// Lowercased recipients, subject and template id: what `q` matches against.
    var searchText = ""

    init(request: JSONTree?) {
        guard let request else { return }
        let personalizations = request["personalizations"]?.array ?? []
        var words: [String] = []
        for personalization in personalizations {
            let to = personalization["to"]?.array ?? []
            toCount += to.count
            ccCount += personalization["cc"]?.array?.count ?? 0
            bccCount += personalization["bcc"]?.array?.count ?? 0
            if firstRecipient == nil { firstRecipient = to.first?["email"]?.string }
            for kind in ["to", "cc", "bcc"] {
                for entry in personalization[kind]?.array ?? [] {
                    if let email = entry["email"]?.string { words.append(email) }
                    if let name = entry["name"]?.string { words.append(name) }
                }
            }
            if subject == nil, request["subject"] == nil { subject = personalization["subject"]?.string }
            if sendAt == nil { sendAt = personalization["send_at"]?.integer }
        }
        if let global = request["subject"]?.string { subject = global }
        templateID = request["template_id"]?.string
        categories = (request["categories"]?.array ?? []).compactMap(\.string)
        batchID = request["batch_id"]?.string
        sendAt = request["send_at"]?.integer ?? sendAt
        attachmentCount = request["attachments"]?.array?.count ?? 0
        words.append(subject ?? "")
        words.append(templateID ?? "")
        searchText = words.joined(separator: "\n").lowercased()
    }

    /// True when every word of `query` (already lowercased) occurs in the recipients, subject or template id.
    func matches(_ query: String) -> Bool {
        query.split(separator: " ").allSatisfy { searchText.contains($0) }
    }
}
