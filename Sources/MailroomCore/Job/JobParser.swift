import Foundation

/// Parses and validates job files (SPEC §4). STUB: the real parser replaces this file.
public enum JobParser {
    /// Largest job file accepted, in bytes (20 MiB).
    public static let maximumSize = 20 * 1024 * 1024

    /// Parses `data` as a version-1 job and checks every rule SendGrid would enforce.
    /// `now` is the reference for `send_at` limits.
    public static func parse(_ data: Data, now: Date = Date()) throws(JobValidationError) -> Job {
        guard let object = try? JSONDecoder().decode([String: JSONValue].self, from: data) else {
            throw JobValidationError(field: "job", "not a JSON object")
        }
        guard let to = object["to"]?.stringValue else { throw JobValidationError(field: "to", "required") }
        return Job(to: [EmailAddress(email: to)], subject: object["subject"]?.stringValue, text: object["text"]?.stringValue)
    }
}
