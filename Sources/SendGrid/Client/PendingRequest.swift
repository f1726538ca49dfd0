import Foundation
import MailroomCore
import Synchronization

/// One send on its way to the curl thread: the body, the key to authenticate it with, and the
/// continuation that gets the result. Exactly one party holds it at a time (the inbox, then the
/// transfer running it), and whoever finishes it resumes the continuation, once.
struct PendingRequest: Sendable {
    let body: Data
    let key: APIKey
    let start: ContinuousClock.Instant
    let token: RequestToken
    let continuation: CheckedContinuation<SendResult, Never>

    /// Resumes the waiting `send` with `outcome` (the key removed from its text).
    func finish(_ outcome: SendOutcome) {
        let clean = OutcomeClassifier.redacting(key.secret, in: outcome)
        continuation.resume(returning: SendResult(outcome: clean, duration: ContinuousClock.now - start))
    }
}

/// Identifies one send, and remembers whether its task was cancelled (set before the curl
/// thread hears of it, so a request that reaches the thread after its cancellation is never started).
final class RequestToken: Sendable {
    private let cancelled = Atomic<Bool>(false)

    var isCancelled: Bool { cancelled.load(ordering: .acquiring) }

    func cancel() { cancelled.store(true, ordering: .releasing) }
}
