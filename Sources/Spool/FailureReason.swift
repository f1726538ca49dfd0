import MailroomCore

/// Why a claimed job failed for good, as the worker reports it; written to `failed/ID.reason.json` as
/// `{reason, field?, attempts, http_status?, time, details?}`.
public struct FailureReason: Sendable, Equatable {
    /// One line a person can act on (never a secret).
    public var reason: String
    /// The job field at fault, if any (`to[1].email`).
    public var field: String?
    /// Attempts made, including the one that failed.
    public var attempts: Int
    /// The last HTTP status, if a request was made.
    public var httpStatus: Int?
    /// Anything structured worth keeping (SendGrid's `errors`), written as `details`.
    public var details: JSONValue?

    public init(reason: String, field: String? = nil, attempts: Int, httpStatus: Int? = nil, details: JSONValue? = nil) {
        self.reason = reason
        self.field = field
        self.attempts = attempts
        self.httpStatus = httpStatus
        self.details = details
    }
}
