import Foundation

/// `categories`, `custom_args`, `send_at`, `batch_id` and `integration`: the fields that tag, schedule and route a job.
extension JobParser {
    static func categories(_ value: JSONValue?) throws(JobValidationError) -> [String] {
        guard let value = optional(value) else { return [] }
        guard case .array(let elements) = value else { throw typeError("categories", expected: "a list of strings", got: value) }
        if elements.count > MailLimits.maxCategories {
            throw JobValidationError(field: "categories", "has \(elements.count) categories; at most \(MailLimits.maxCategories)")
        }
        var result: [String] = []
        for (position, element) in elements.enumerated() {
            let field = FieldPath.index("categories", position)
            let category = try string(element, at: field)
            if let problem = CategoryRules.problem(with: category) {
                throw JobValidationError(field: field, "\(problem): \(FieldPath.quoted(category))")
            }
            if result.contains(category) {
                throw JobValidationError(field: field, "repeats \(FieldPath.quoted(category)); categories must be unique")
            }
            result.append(category)
        }
        return result
    }

    static func customArgs(_ value: JSONValue?) throws(JobValidationError) -> [String: String] {
        guard let value = optional(value) else { return [:] }
        let members = try object(value, at: "custom_args")
        var result: [String: String] = [:]
        result.reserveCapacity(members.count)
        for member in members.sorted(by: { $0.key < $1.key }) {
            let key = member.key
            let field = FieldPath.key("custom_args", key)
            if key.isEmpty { throw JobValidationError(field: field, "keys must not be empty") }
            if key == "mailroom_job" {
                throw JobValidationError(field: field, "is reserved: the worker sets it to the job's ID")
            }
            let text = try string(member.value, at: field)
            result[key] = text
        }
        // SendGrid wants the object, as JSON, under MailLimits.maxCustomArgsBytes, after the worker adds mailroom_job.
        let size = encodedSize(result)
        let limit = MailLimits.maxCustomArgsBytes - 1 - customArgsReserve
        if size > limit {
            throw JobValidationError(
                field: "custom_args",
                "is \(size) bytes as JSON; at most \(limit) (SendGrid takes less than \(MailLimits.maxCustomArgsBytes), and mailroom_job needs room)")
        }
        return result
    }

    /// The size of `arguments` as compact JSON, escaped as the payload builder writes it (`JSONEscaping`).
    static func encodedSize(_ arguments: [String: String]) -> Int {
        var size = 2 + max(0, arguments.count - 1)
        for (key, value) in arguments { size += JSONEscaping.quotedSize(key) + 1 + JSONEscaping.quotedSize(value) }
        return size
    }

    /// Unix seconds, not negative, at most MailLimits.maxSendAtAhead after `now`; a time in the past sends at once.
    static func sendAt(_ value: JSONValue?, now: Date) throws(JobValidationError) -> Int? {
        guard let value = optional(value) else { return nil }
        guard case .number(let number) = value else { throw typeError("send_at", expected: "Unix time in seconds (a number)", got: value) }
        guard let seconds = value.intValue else {
            throw JobValidationError(field: "send_at", "expected a whole number of seconds (Unix time), got \(FieldPath.number(number))")
        }
        if seconds < 0 { throw JobValidationError(field: "send_at", "must not be negative, got \(seconds)") }
        let latest = Int(now.timeIntervalSince1970.rounded(.down)) + Int(MailLimits.maxSendAtAhead.components.seconds)
        if seconds > latest {
            let unitHint = seconds > 100_000_000_000 ? " (it looks like milliseconds; send_at takes seconds)" : ""
            // Years past 9999 have no ISO 8601 form worth printing.
            let when = seconds < 253_402_300_800 ? " (\(Timestamps.format(Date(timeIntervalSince1970: Double(seconds)))))" : ""
            throw JobValidationError(
                field: "send_at", "\(seconds)\(when) is more than 72 hours ahead; SendGrid schedules at most until \(latest)\(unitHint)")
        }
        return seconds
    }

    /// The id of a batch made with SendGrid's `POST /v3/mail/batch`: 1 to 100 letters, digits, `-` or `_` (SendGrid's
    /// own are 32 letters and digits). Whether SendGrid knows it is for SendGrid to say, when the job is sent.
    static func batchID(_ value: JSONValue?) throws(JobValidationError) -> String? {
        guard let value = optional(value) else { return nil }
        let text = try string(value, at: "batch_id")
        let allowed = text.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x2D || byte == 0x5F
        }
        guard (1...100).contains(text.utf8.count), allowed else {
            throw JobValidationError(
                field: "batch_id", "expected the id POST /v3/mail/batch returned (1 to 100 letters, digits, - or _), got \(FieldPath.quoted(text))")
        }
        return text
    }

    static func integration(_ value: JSONValue?) throws(JobValidationError) -> Int? {
        guard let value = optional(value) else { return nil }
        guard case .number(let number) = value else {
            throw typeError("integration", expected: "a positive integer (the id of an integration config)", got: value)
        }
        guard let id = value.intValue, id > 0 else {
            throw JobValidationError(
                field: "integration", "expected a positive integer (the id of an integration config), got \(FieldPath.number(number))")
        }
        return id
    }
}
