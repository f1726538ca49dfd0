import Foundation

/// Parses and validates job files (docs/job-format.md): everything SendGrid would refuse is refused here, before a job enters
/// the spool, with the field at fault named as a JSON path (`to[2].email`, `headers.X-Foo`, or `job` for the file).
///
/// Mailroom's own choices, which docs/job-format.md states: a UTF-8 byte order mark is refused (JSON text must not
/// start with one, RFC 8259 §8.1); `null` for an optional field means the field is absent; duplicate keys in any
/// object are refused; addresses repeated across to, cc and bcc (compared without case) are dropped, keeping the first.
public enum JobParser {
    /// Largest job file accepted, in bytes (20 MiB).
    public static let maximumSize = 20 * 1024 * 1024

    /// Bytes the worker's `,"mailroom_job":"<ID>"` member adds to `custom_args` as JSON, for the longest job ID (128).
    static let customArgsReserve = 1 + ("mailroom_job".utf8.count + 2) + 1 + (128 + 2)

    /// Parses `data` as a version-1 job and checks every rule SendGrid would enforce.
    /// `now` is the reference for `send_at` limits.
    public static func parse(_ data: Data, now: Date = Date()) throws(JobValidationError) -> Job {
        let root = try document(data)
        return try job(from: root, now: now)
    }

    /// Top-level fields of a version-1 job.
    static let knownFields: Set<String> = [
        "to", "cc", "bcc", "reply_to", "subject", "text", "html", "template_id", "dynamic_template_data",
        "attachments", "categories", "custom_args", "headers", "send_at", "batch_id", "integration",
    ]

    /// Hints for fields people bring over from SendGrid's own request body.
    static let unknownFieldHints: [String: String] = [
        "personalizations": "; a job lists its recipients in to, cc and bcc",
        "content": "; a job carries its body in text and html",
        "reply_to_list": "; a job takes one reply_to address",
        "sender": "; the sender comes from the integration config (from_email, from_name)",
    ]

    /// What to say after "unknown field": a pointer to the job's way of saying it, the field the author probably
    /// meant, or the list of fields.
    static func unknownFieldHint(_ key: String) -> String {
        if let hint = unknownFieldHints[key] { return hint }
        let lowered = key.lowercased()
        if let near = knownFields.sorted().first(where: { editDistance(lowered, $0, limit: 2) <= 2 }) { return "; did you mean \(near)?" }
        return "; a job takes " + knownFields.sorted().joined(separator: ", ")
    }

    /// Levenshtein distance between `a` and `b`, giving up (returning `limit + 1`) on long or very different strings.
    private static func editDistance(_ a: String, _ b: String, limit: Int) -> Int {
        let a = Array(a.utf8.prefix(64))
        let b = Array(b.utf8)
        if abs(a.count - b.count) > limit { return limit + 1 }
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            for (j, y) in b.enumerated() {
                current[j + 1] = Swift.min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }

    /// Checks each field of the job in a fixed order (so a job with several problems always reports the same one)
    /// and builds the model.
    static func job(from root: JSONObject, now: Date) throws(JobValidationError) -> Job {
        if root["from"] != nil {
            throw JobValidationError(field: "from", "is not allowed: the sender comes from the integration config (from_email, from_name)")
        }
        for key in root.keys.sorted() where !knownFields.contains(key) {
            throw JobValidationError(field: FieldPath.key("", key), "unknown field\(unknownFieldHint(key))")
        }
        var job = Job(to: [])
        try recipients(root, into: &job)
        job.replyTo = try optional(root["reply_to"]).map { value throws(JobValidationError) in try address(value, at: "reply_to") }
        try content(root, into: &job)
        job.headers = try headers(root["headers"])
        job.categories = try categories(root["categories"])
        job.customArgs = try customArgs(root["custom_args"])
        job.sendAt = try sendAt(root["send_at"], now: now)
        job.batchID = try batchID(root["batch_id"])
        job.integration = try integration(root["integration"])
        job.attachments = try attachments(root["attachments"])
        return job
    }
}
