import Foundation

/// What one Mail Send request came to, and how long it took from `send` to answer
/// (time waiting for a free connection included).
public struct SendResult: Sendable {
    public let outcome: SendOutcome
    public let duration: Duration

    public init(outcome: SendOutcome, duration: Duration) {
        self.outcome = outcome
        self.duration = duration
    }
}

/// SendGrid's answer to one request, sorted by what the worker must do about it (docs/spool.md#outcomes).
///
/// No case's text ever holds the API key: messages come from SendGrid's `errors` or curl's
/// error buffer (which never includes request headers), and the client redacts the key from
/// both anyway.
public enum SendOutcome: Sendable, Equatable {
    /// 202, or 200 in sandbox mode (any 2xx is taken as accepted): the job is sent.
    case accepted(status: Int, messageID: String?)
    /// 400, 404, 413 and other 4xx: SendGrid will never take this body; a permanent failure.
    case rejected(status: Int, errors: [SendGridErrorDetail])
    /// 401 or 403: the key is wrong, revoked or lacks permission, or the sender is not verified.
    case credentialsRefused(status: Int, message: String)
    /// 429: try again no earlier than `until` (from `Retry-After`, `X-RateLimit-Reset`, else a minute).
    case rateLimited(until: Date, status: Int)
    /// 5xx, 408, a redirect, a timeout or a connection error (`message` is curl's error text):
    /// the request may or may not have reached SendGrid; retry later.
    case transient(status: Int?, message: String)
}

/// One entry of SendGrid's `errors` array: what is wrong, and where (`personalizations.0.to`, or nil).
public struct SendGridErrorDetail: Sendable, Equatable {
    public var message: String
    public var field: String?

    public init(message: String, field: String? = nil) {
        self.message = message
        self.field = field
    }
}

extension SendGridErrorDetail: CustomStringConvertible {
    /// `field: message`, or the message alone.
    public var description: String {
        guard let field, !field.isEmpty else { return message }
        return "\(field): \(message)"
    }
}

extension SendOutcome: CustomStringConvertible {
    /// One line for logs and job reasons.
    public var description: String {
        switch self {
        case .accepted(let status, let messageID):
            "accepted (HTTP \(status))" + (messageID.map { ", message id \($0)" } ?? "")
        case .rejected(let status, let errors):
            "rejected (HTTP \(status)): " + errors.map(\.description).joined(separator: "; ")
        case .credentialsRefused(let status, let message):
            "credentials refused (HTTP \(status)): \(message)"
        case .rateLimited(let until, let status):
            "rate limited (HTTP \(status)) until \(until.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)))"
        case .transient(let status, let message):
            "temporary failure" + (status.map { " (HTTP \($0))" } ?? "") + ": \(message)"
        }
    }
}
