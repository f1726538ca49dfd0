/// The few fields of a message the inbox list shows and searches, taken from the request once when
/// the message is accepted (or loaded), so listing a page never re-reads the full records.
///
/// Built on Mail Send's hot path, so it only picks values out of the parsed tree: no joined or
/// lowercased strings (a search lowercases what it compares, when someone searches).
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

    init(request: JSONTree?) {
        guard let request else { return }
        let personalizations = request["personalizations"]?.array ?? []
        for personalization in personalizations {
            let to = personalization["to"]?.array ?? []
            toCount += to.count
            ccCount += personalization["cc"]?.array?.count ?? 0
            bccCount += personalization["bcc"]?.array?.count ?? 0
            if firstRecipient == nil { firstRecipient = to.first?["email"]?.string }
            if subject == nil, request["subject"] == nil { subject = personalization["subject"]?.string }
            if sendAt == nil { sendAt = personalization["send_at"]?.integer }
        }
        if let global = request["subject"]?.string { subject = global }
        templateID = request["template_id"]?.string
        categories = (request["categories"]?.array ?? []).compactMap(\.string)
        batchID = request["batch_id"]?.string
        sendAt = request["send_at"]?.integer ?? sendAt
        attachmentCount = request["attachments"]?.array?.count ?? 0
    }
}

extension MessageRecord {
    /// True when every word of `query` (lowercased) occurs in a to/cc/bcc address, the subject or the template id.
    func matches(search query: String) -> Bool {
        let subject = summary.subject?.lowercased() ?? ""
        let template = summary.templateID?.lowercased() ?? ""
        return query.split(separator: " ").allSatisfy { word in
            subject.contains(word) || template.contains(word) || recipients.contains { $0.contains(word) }
        }
    }
}
