import MailroomCore

/// A job's recipients as one personalization sends them: checked, and with every address
/// appearing once (compared without case) in the first list that holds it — to, then cc, then bcc —
/// because SendGrid refuses a personalization that repeats an address.
struct Recipients {
    var to: [EmailAddress] = []
    var cc: [EmailAddress] = []
    var bcc: [EmailAddress] = []

    var count: Int { to.count + cc.count + bcc.count }

    init(_ job: Job) throws(PayloadError) {
        var seen = Set<String>()
        to = try Self.unique(job.to, list: "to", seen: &seen)
        cc = try Self.unique(job.cc, list: "cc", seen: &seen)
        bcc = try Self.unique(job.bcc, list: "bcc", seen: &seen)
        if to.isEmpty { throw PayloadError(field: "to", "at least one recipient is required") }
        if count > MailLimits.maxRecipients {
            throw PayloadError(field: "to", "\(count) recipients (to + cc + bcc); SendGrid takes at most \(MailLimits.maxRecipients)")
        }
    }

    private static func unique(_ addresses: [EmailAddress], list: String, seen: inout Set<String>) throws(PayloadError) -> [EmailAddress] {
        var kept: [EmailAddress] = []
        kept.reserveCapacity(addresses.count)
        for (index, address) in addresses.enumerated() {
            if let problem = PayloadRules.addressProblem(address.email) {
                throw PayloadError(field: "\(list)[\(index)].email", problem)
            }
            if let name = address.name, let problem = PayloadRules.recipientNameProblem(name) {
                throw PayloadError(field: "\(list)[\(index)].name", problem)
            }
            if seen.insert(address.email.lowercased()).inserted {
                kept.append(address)
            }
        }
        return kept
    }
}
