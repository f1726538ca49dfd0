import Foundation
import MailroomCore

/// Turns a job into the JSON body of `POST /v3/mail/send`.
///
/// One personalization carries every recipient; the sender is always the integration's; the
/// job's id rides along in `custom_args.mailroom_job` so SendGrid events can be traced back.
/// Everything SendGrid would refuse is refused here first (`PayloadError`), so a bad job never
/// costs a request and is failed at once instead of retried.
public enum PayloadBuilder {
    /// The `custom_args` key that carries the job id.
    public static let jobArgument = "mailroom_job"

    /// The Mail Send body for `job`, sent as `from`; adds custom_args.mailroom_job = jobID; sandbox mode on when `sandboxMode`.
    public static func build(job: Job, jobID: String, from: EmailAddress, sandboxMode: Bool) throws(PayloadError) -> Data {
        try build(job: job, jobID: jobID, from: from, sandboxMode: sandboxMode, now: Date())
    }

    /// As `build(job:jobID:from:sandboxMode:)`, with `now` as the reference for the 72-hour `send_at` limit.
    public static func build(job: Job, jobID: String, from: EmailAddress, sandboxMode: Bool, now: Date) throws(PayloadError) -> Data {
        let recipients = try Recipients(job)
        try checkSender(from)
        if let replyTo = job.replyTo { try checkReplyTo(replyTo) }
        let template = try templateID(of: job)
        let subject = try subject(of: job, template: template)
        let content = try content(of: job, template: template)
        try checkAttachments(job.attachments)
        try checkCategories(job.categories)
        try checkHeaders(job.headers)
        let customArgs = try customArgs(of: job, jobID: jobID)
        if let sendAt = job.sendAt { try checkSendAt(sendAt, now: now) }

        var writer = JSONWriter(reservingCapacity: 1024 + job.attachments.reduce(0) { $0 + $1.content.utf8.count })
        writer.beginObject()
        writer.key("personalizations")
        writer.beginArray()
        writer.beginObject()
        writeAddresses(recipients.to, as: "to", into: &writer)
        writeAddresses(recipients.cc, as: "cc", into: &writer)
        writeAddresses(recipients.bcc, as: "bcc", into: &writer)
        if let data = job.dynamicTemplateData {
            writer.key("dynamic_template_data")
            writer.value(.object(data), sortingKeys: true)
        }
        writer.endObject()
        writer.endArray()
        writer.key("from")
        writeAddress(from, into: &writer)
        if let replyTo = job.replyTo {
            writer.key("reply_to")
            writeAddress(replyTo, into: &writer)
        }
        if let subject { writer.member("subject", subject) }
        if !content.isEmpty {
            writer.key("content")
            writer.beginArray()
            for part in content {
                writer.beginObject()
                writer.member("type", part.type)
                writer.member("value", part.value)
                writer.endObject()
            }
            writer.endArray()
        }
        if !job.attachments.isEmpty { writeAttachments(job.attachments, into: &writer) }
        if let template { writer.member("template_id", template) }
        if !job.headers.isEmpty {
            writer.key("headers")
            writer.stringObject(job.headers)
        }
        if !job.categories.isEmpty {
            writer.key("categories")
            writer.beginArray()
            for category in job.categories { writer.string(category) }
            writer.endArray()
        }
        writer.key("custom_args")
        writer.stringObject(customArgs)
        if let sendAt = job.sendAt {
            writer.key("send_at")
            writer.integer(sendAt)
        }
        if let batchID = job.batchID {
            writer.key("batch_id")
            writer.string(batchID)
        }
        if sandboxMode {
            writer.key("mail_settings")
            writer.beginObject()
            writer.key("sandbox_mode")
            writer.beginObject()
            writer.key("enable")
            writer.bool(true)
            writer.endObject()
            writer.endObject()
        }
        writer.endObject()

        if writer.bytes.count >= MailLimits.maxPayloadBytes {
            throw PayloadError(field: "attachments", "the request would be \(writer.bytes.count) bytes; SendGrid takes less than 30 MB in all")
        }
        return Data(writer.bytes)
    }

    // MARK: - Checks

    private static func checkSender(_ from: EmailAddress) throws(PayloadError) {
        if let problem = PayloadRules.addressProblem(from.email) { throw PayloadError(field: "from_email", problem) }
        if let name = from.name, let problem = PayloadRules.headerValueProblem(name) { throw PayloadError(field: "from_name", problem) }
    }

    private static func checkReplyTo(_ replyTo: EmailAddress) throws(PayloadError) {
        if let problem = PayloadRules.addressProblem(replyTo.email) { throw PayloadError(field: "reply_to.email", problem) }
        if let name = replyTo.name, let problem = PayloadRules.headerValueProblem(name) {
            throw PayloadError(field: "reply_to.name", problem)
        }
    }

    private static func templateID(of job: Job) throws(PayloadError) -> String? {
        guard let template = job.templateID else { return nil }
        if template.isEmpty { throw PayloadError(field: "template_id", "is empty") }
        if let problem = PayloadRules.headerValueProblem(template) { throw PayloadError(field: "template_id", problem) }
        return template
    }

    /// The subject to send: required unless a template supplies one; empty means absent.
    private static func subject(of job: Job, template: String?) throws(PayloadError) -> String? {
        guard let subject = job.subject, !subject.isEmpty else {
            if template == nil { throw PayloadError(field: "subject", "is required unless template_id is given") }
            return nil
        }
        if let problem = PayloadRules.headerValueProblem(subject) { throw PayloadError(field: "subject", problem) }
        return subject
    }

    /// `text/plain` first, then `text/html` (SendGrid cites RFC 1341 §7.2); empty parts are left out
    /// because SendGrid refuses an empty content value.
    private static func content(of job: Job, template: String?) throws(PayloadError) -> [(type: String, value: String)] {
        var parts: [(type: String, value: String)] = []
        if let text = job.text, !text.isEmpty { parts.append(("text/plain", text)) }
        if let html = job.html, !html.isEmpty { parts.append(("text/html", html)) }
        if parts.isEmpty, template == nil { throw PayloadError(field: "text", "a job without template_id needs a non-empty text or html") }
        return parts
    }

    private static func checkAttachments(_ attachments: [Attachment]) throws(PayloadError) {
        for (index, attachment) in attachments.enumerated() {
            let field = "attachments[\(index)]"
            if let problem = PayloadRules.attachmentParameterProblem(attachment.filename) { throw PayloadError(field: "\(field).filename", problem) }
            if !AttachmentRules.isBase64(attachment.content) { throw PayloadError(field: "\(field).content", "must be non-empty base64") }
            if let type = attachment.type, let problem = PayloadRules.attachmentParameterProblem(type) {
                throw PayloadError(field: "\(field).type", problem)
            }
            if let disposition = attachment.disposition, !AttachmentRules.dispositions.contains(disposition) {
                throw PayloadError(field: "\(field).disposition", "must be inline or attachment")
            }
            if let contentID = attachment.contentID, let problem = PayloadRules.attachmentParameterProblem(contentID) {
                throw PayloadError(field: "\(field).content_id", problem)
            }
        }
    }

    private static func checkCategories(_ categories: [String]) throws(PayloadError) {
        if categories.count > MailLimits.maxCategories {
            throw PayloadError(field: "categories", "\(categories.count) categories; SendGrid takes at most \(MailLimits.maxCategories)")
        }
        var seen = Set<String>()
        for (index, category) in categories.enumerated() {
            let field = "categories[\(index)]"
            if let problem = PayloadRules.categoryProblem(category) { throw PayloadError(field: field, problem) }
            if !seen.insert(category).inserted { throw PayloadError(field: field, "repeats an earlier category") }
        }
    }

    private static func checkHeaders(_ headers: [String: String]) throws(PayloadError) {
        for name in headers.keys.sorted() {
            if let problem = PayloadRules.headerNameProblem(name) { throw PayloadError(field: "headers.\(name)", problem) }
            if let value = headers[name], let problem = PayloadRules.headerValueProblem(value) {
                throw PayloadError(field: "headers.\(name)", problem)
            }
        }
    }

    /// The job's `custom_args` plus the job id (which wins over a job-supplied `mailroom_job`).
    private static func customArgs(of job: Job, jobID: String) throws(PayloadError) -> [String: String] {
        var arguments = job.customArgs
        for name in arguments.keys where name.isEmpty { throw PayloadError(field: "custom_args", "has an empty key") }
        arguments[jobArgument] = jobID
        // SendGrid measures the encoded JSON object, not keys and values alone, and wants less than 10,000 bytes.
        let size = PayloadRules.customArgsSize(arguments)
        if size >= MailLimits.maxCustomArgsBytes {
            throw PayloadError(
                field: "custom_args", "is \(size) bytes as JSON with \(jobArgument); SendGrid takes less than \(MailLimits.maxCustomArgsBytes)")
        }
        return arguments
    }

    private static func checkSendAt(_ sendAt: Int, now: Date) throws(PayloadError) {
        if sendAt < 0 { throw PayloadError(field: "send_at", "must be a Unix time in seconds") }
        let latest = Int(now.timeIntervalSince1970.rounded(.down)) + Int(MailLimits.maxSendAtAhead.components.seconds)
        if sendAt > latest { throw PayloadError(field: "send_at", "is more than 72 hours ahead; SendGrid refuses it") }
    }

    // MARK: - Writing

    private static func writeAddress(_ address: EmailAddress, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("email", address.email)
        if let name = address.name, !name.isEmpty { writer.member("name", name) }
        writer.endObject()
    }

    private static func writeAddresses(_ addresses: [EmailAddress], as key: String, into writer: inout JSONWriter) {
        guard !addresses.isEmpty else { return }
        writer.key(key)
        writer.beginArray()
        for address in addresses { writeAddress(address, into: &writer) }
        writer.endArray()
    }

    private static func writeAttachments(_ attachments: [Attachment], into writer: inout JSONWriter) {
        writer.key("attachments")
        writer.beginArray()
        for attachment in attachments {
            writer.beginObject()
            writer.member("content", attachment.content)
            writer.member("filename", attachment.filename)
            if let type = attachment.type { writer.member("type", type) }
            if let disposition = attachment.disposition { writer.member("disposition", disposition) }
            if let contentID = attachment.contentID { writer.member("content_id", contentID) }
            writer.endObject()
        }
        writer.endArray()
    }
}
