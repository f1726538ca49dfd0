import Foundation
import MailroomCore

/// How one integration is doing, as every worker on the spool and `mailroom status` see it.
public struct IntegrationHealth: Sendable, Codable, Equatable {
    public enum State: String, Sendable, Codable {
        /// Sending normally.
        case ok
        /// SendGrid refused the key (401/403): no request with it until the config changes or an operator retries.
        case keyRefused = "key_refused"
        /// SendGrid answered 429: no request until `until`.
        case rateLimited = "rate_limited"
        /// The endpoint does not answer (connection failures or 5xx for several jobs in a row): jobs are held
        /// without spending attempts while one probe at a time checks whether it is back.
        case unavailable
    }

    public var id: Int
    public var state: State
    /// When a rate limit ends (ISO 8601).
    public var until: String?
    /// The config revision the key was refused under (a fingerprint, never the key); a new one resumes sending.
    public var revision: String?
    public var lastError: String?
    public var lastErrorAt: String?
    public var lastSuccessAt: String?

    enum CodingKeys: String, CodingKey {
        case id, state, until, revision
        case lastError = "last_error"
        case lastErrorAt = "last_error_at"
        case lastSuccessAt = "last_success_at"
    }

    public init(id: Int, state: State = .ok) {
        self.id = id
        self.state = state
    }

    /// The state as it holds at `now`: a rate limit that has run out reads as `ok`.
    public func effectiveState(now: Date = Date()) -> State {
        if state == .rateLimited, let until, let end = Timestamps.parse(until), end <= now { return .ok }
        return state
    }
}
