import Spool
import Synchronization

/// The claims this worker is sending right now. A send that finishes takes its claim back out before
/// moving the job; at the end of the grace period whatever is left is put back to ready, and a send
/// that finishes later finds its claim gone and leaves the job alone.
final class InFlight: Sendable {
    private let claims = Mutex<[String: Claim]>([:])

    var count: Int { claims.withLock { $0.count } }

    func insert(_ claim: Claim) {
        claims.withLock { $0[claim.id] = claim }
    }

    /// Takes the claim back for its own sender; false if shutdown already gave it back to the spool.
    func finish(_ id: String) -> Bool {
        claims.withLock { $0.removeValue(forKey: id) != nil }
    }

    /// Everything still in flight, removed, for shutdown.
    func abandonAll() -> [Claim] {
        claims.withLock { claims in
            defer { claims.removeAll() }
            return Array(claims.values)
        }
    }
}
