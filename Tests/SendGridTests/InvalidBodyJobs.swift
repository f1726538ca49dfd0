import Foundation
import MailroomCore

@testable import SendGrid

/// Reads a raw Mail Send body back into the job (and sender) that would make the builder
/// produce it, when a job can say what the body says: one personalization of to/cc/bcc (and
/// dynamic data), a plain and/or HTML part, and the message-level fields a job carries.
/// Anything a job cannot express (several personalizations, personalization subjects, other
/// content types, tracking settings, wrong JSON types…) gives nil.
enum InvalidBodyJobs {
    struct Expressed {
        var job: Job
        var from: EmailAddress
    }

    static func expressed(_ body: [String: Any]) -> Expressed? {
        let known: Set<String> = [
            "personalizations", "from", "reply_to", "subject", "content", "attachments", "template_id", "headers", "categories",
            "custom_args", "send_at", "mail_settings",
        ]
        guard Set(body.keys).isSubset(of: known), let from = address(body["from"]) else { return nil }
        var job = Job(to: [])
        guard recipients(body["personalizations"], into: &job), content(body["content"], into: &job) else { return nil }
        if let value = body["reply_to"] {
            guard let replyTo = address(value) else { return nil }
            job.replyTo = replyTo
        }
        if let value = body["subject"] {
            guard let subject = value as? String else { return nil }
            job.subject = subject
        }
        if let value = body["template_id"] {
            guard let template = value as? String else { return nil }
            job.templateID = template
        }
        if let value = body["headers"] {
            guard let headers = value as? [String: String] else { return nil }
            job.headers = headers
        }
        if let value = body["categories"] {
            guard let categories = value as? [Any], categories.allSatisfy({ $0 is String }) else { return nil }
            job.categories = categories.compactMap { $0 as? String }
        }
        if let value = body["custom_args"] {
            guard let arguments = value as? [String: String] else { return nil }
            job.customArgs = arguments
        }
        if let value = body["send_at"] {
            guard let number = value as? NSNumber, let sendAt = Int(exactly: number.doubleValue), !(value is Bool) else { return nil }
            job.sendAt = sendAt
        }
        if let value = body["mail_settings"] {
            guard let settings = value as? [String: Any], Set(settings.keys) == ["sandbox_mode"] else { return nil }
        }
        guard attachments(body["attachments"], into: &job) else { return nil }
        return Expressed(job: job, from: from)
    }

    private static func address(_ value: Any?) -> EmailAddress? {
        guard let object = value as? [String: Any], Set(object.keys).isSubset(of: ["email", "name"]),
            let email = object["email"] as? String
        else { return nil }
        if let name = object["name"], !(name is String) { return nil }
        return EmailAddress(email: email, name: object["name"] as? String)
    }

    private static func addresses(_ value: Any?) -> [EmailAddress]? {
        guard let value else { return [] }
        guard let list = value as? [Any] else { return nil }
        var result: [EmailAddress] = []
        for entry in list {
            guard let address = address(entry) else { return nil }
            result.append(address)
        }
        return result
    }

    private static func recipients(_ value: Any?, into job: inout Job) -> Bool {
        guard let value else { return true }  // no personalizations: a job with no recipients
        guard let list = value as? [Any], list.count <= 1 else { return false }
        guard let first = list.first else { return true }
        guard let personalization = first as? [String: Any],
            Set(personalization.keys).isSubset(of: ["to", "cc", "bcc", "dynamic_template_data"]),
            let to = addresses(personalization["to"]), let cc = addresses(personalization["cc"]), let bcc = addresses(personalization["bcc"])
        else { return false }
        job.to = to
        job.cc = cc
        job.bcc = bcc
        if let data = personalization["dynamic_template_data"] {
            guard JSONSerialization.isValidJSONObject(data), let bytes = try? JSONSerialization.data(withJSONObject: data),
                let decoded = try? JSONDecoder().decode([String: JSONValue].self, from: bytes)
            else { return false }
            job.dynamicTemplateData = JSONObject(decoded)
        }
        return true
    }

    /// A job has one plain and one HTML field: bodies with other types, repeats or wrong types are not expressible.
    private static func content(_ value: Any?, into job: inout Job) -> Bool {
        guard let value else { return true }
        guard let parts = value as? [Any] else { return false }
        for part in parts {
            guard let part = part as? [String: Any], Set(part.keys) == ["type", "value"], let type = part["type"] as? String,
                let text = part["value"] as? String
            else { return false }
            switch type {
            case "text/plain" where job.text == nil: job.text = text
            case "text/html" where job.html == nil: job.html = text
            default: return false
            }
        }
        return true
    }

    private static func attachments(_ value: Any?, into job: inout Job) -> Bool {
        guard let value else { return true }
        guard let list = value as? [Any] else { return false }
        for entry in list {
            guard let object = entry as? [String: Any],
                Set(object.keys).isSubset(of: ["content", "filename", "type", "disposition", "content_id"]),
                let content = object["content"] as? String, let filename = object["filename"] as? String
            else { return false }
            let optional = ["type", "disposition", "content_id"].map { object[$0] }
            guard optional.allSatisfy({ $0 == nil || $0 is String }) else { return false }
            job.attachments.append(
                Attachment(
                    filename: filename, content: content, type: object["type"] as? String, disposition: object["disposition"] as? String,
                    contentID: object["content_id"] as? String))
        }
        return true
    }
}
