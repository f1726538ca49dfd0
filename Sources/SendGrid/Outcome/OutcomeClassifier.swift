internal import CCurlShim
import Foundation

/// Sorts an HTTP answer or a transport failure into a `SendOutcome` (docs/spool.md#outcomes).
enum OutcomeClassifier {
    /// The outcome of `answer`, with `secret` removed from everything read from the response
    /// before it is cut or parsed (so not even part of it can survive truncation).
    static func classify(_ answer: HTTPAnswer, now: Date, redacting secret: String) -> SendOutcome {
        var answer = answer
        if !secret.isEmpty {
            if answer.body.count >= secret.utf8.count {
                let body = String(decoding: answer.body, as: UTF8.self)
                if body.contains(secret) { answer.body = Array(body.replacingOccurrences(of: secret, with: "[redacted]").utf8) }
            }
            answer.location = answer.location.map { scrub($0, secret) }
            answer.messageID = answer.messageID.map { scrub($0, secret) }
        }
        return redacting(secret, in: classify(answer, now: now))
    }

    /// `text` with every occurrence of `secret` replaced; text shorter than the secret is returned as is
    /// without searching (a message ID, on every accepted send).
    static func scrub(_ text: String, _ secret: String) -> String {
        guard text.utf8.count >= secret.utf8.count, text.contains(secret) else { return text }
        return text.replacingOccurrences(of: secret, with: "[redacted]")
    }

    static func classify(_ answer: HTTPAnswer, now: Date) -> SendOutcome {
        let status = answer.status
        switch status {
        case 200..<300:
            let messageID = answer.messageID.map(SendGridErrorBody.clean).flatMap { $0.isEmpty ? nil : $0 }
            return .accepted(status: status, messageID: messageID)
        case 401, 403:
            return .credentialsRefused(status: status, message: SendGridErrorBody.firstMessage(from: answer.body))
        case 429:
            return .rateLimited(
                until: RateLimitReset.until(retryAfter: answer.retryAfter, rateLimitReset: answer.rateLimitReset, now: now), status: status)
        case 408:
            // The server gave up waiting for our request: nothing was wrong with the body.
            return .transient(status: status, message: "the server timed out waiting for the request")
        case 400..<500:
            return .rejected(status: status, errors: SendGridErrorBody.details(from: answer.body))
        case 300..<400:
            // Never followed (the key must go nowhere else); most likely a wrong --api-url.
            let target = answer.location.map { " to \(SendGridErrorBody.clean($0))" } ?? ""
            return .transient(status: status, message: "unexpected redirect\(target), not followed; check the API URL")
        default:
            return .transient(status: status, message: SendGridErrorBody.firstMessage(from: answer.body))
        }
    }

    /// A transfer that ended without an HTTP answer: timeout, refused or dropped connection, TLS failure…
    /// A connection-level failure, never the job's fault: transient, with no HTTP status. Certificate
    /// problems say so in words an operator can act on, with curl's own text after them.
    static func transportFailure(code: Int, text: String, host: String = "the API") -> SendOutcome {
        let detail = SendGridErrorBody.clean(text)
        switch code {
        case Int(CURLE_PEER_FAILED_VERIFICATION.rawValue):
            return .transient(
                status: nil,
                message: "TLS certificate verification failed for \(host): \(detail); set --ca-file if this endpoint uses its own CA")
        case Int(CURLE_SSL_CACERT_BADFILE.rawValue):
            return .transient(status: nil, message: "cannot load the trusted CA certificates for \(host) (check --ca-file): \(detail)")
        default:
            return .transient(status: nil, message: "curl error \(code): \(detail)")
        }
    }

    /// `outcome` with every occurrence of `secret` replaced. Belt and braces: neither curl's error
    /// text nor SendGrid's errors should ever hold the key, but a proxy could echo a header.
    static func redacting(_ secret: String, in outcome: SendOutcome) -> SendOutcome {
        guard !secret.isEmpty else { return outcome }
        func scrub(_ text: String) -> String { Self.scrub(text, secret) }
        switch outcome {
        case .accepted(let status, let messageID):
            return .accepted(status: status, messageID: messageID.map(scrub))
        case .rejected(let status, let errors):
            return .rejected(status: status, errors: errors.map { SendGridErrorDetail(message: scrub($0.message), field: $0.field.map(scrub)) })
        case .credentialsRefused(let status, let message):
            return .credentialsRefused(status: status, message: scrub(message))
        case .rateLimited:
            return outcome
        case .transient(let status, let message):
            return .transient(status: status, message: scrub(message))
        }
    }
}
