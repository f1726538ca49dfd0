import Synchronization

/// Batch IDs made by `POST /v3/mail/batch`, and the pause or cancel a scheduled send on each
/// (`/v3/user/scheduled_sends`). In memory only: like SendGrid's, a batch outlives no account reset,
/// and a restarted sandbox is a fresh account.
final class BatchRegistry: Sendable {
    /// What `/v3/user/scheduled_sends` may set on a batch.
    enum Hold: String, Sendable, CaseIterable {
        case pause
        case cancel
    }

    private struct Batches {
        var known: Set<String> = []
        var holds: [String: Hold] = [:]
        /// Batch ids with a hold, in the order they were set (the list answer's order).
        var order: [String] = []
    }

    /// SendGrid does not say how many batch ids an account may hold; the sandbox keeps at most this
    /// many so a loop creating batches cannot grow it without bound, and refuses more with a 429.
    static let capacity = 10_000

    private let batches = Mutex(Batches())

    /// A new batch id (32 URL-safe characters, like SendGrid's), or nil when the registry is full.
    func create() -> String? {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        let id = String((0..<32).map { _ in alphabet[Int(generator.next(upperBound: UInt(alphabet.count)))] })
        return batches.withLock { batches in
            guard batches.known.count < Self.capacity else { return nil }
            batches.known.insert(id)
            return id
        }
    }

    func contains(_ id: String) -> Bool {
        batches.withLock { $0.known.contains(id) }
    }

    func hold(of id: String) -> Hold? {
        batches.withLock { $0.holds[id] }
    }

    /// Every batch with a hold, oldest first.
    func holds() -> [(id: String, hold: Hold)] {
        batches.withLock { batches in batches.order.compactMap { id in batches.holds[id].map { (id, $0) } } }
    }

    /// Sets (or replaces) the hold on a known batch; false when the batch is unknown.
    @discardableResult
    func setHold(_ hold: Hold, on id: String) -> Bool {
        batches.withLock { batches in
            guard batches.known.contains(id) else { return false }
            if batches.holds.updateValue(hold, forKey: id) == nil { batches.order.append(id) }
            return true
        }
    }

    /// Removes the hold on a batch (its sends resume); false when it had none.
    func removeHold(on id: String) -> Bool {
        batches.withLock { batches in
            guard batches.holds.removeValue(forKey: id) != nil else { return false }
            batches.order.removeAll { $0 == id }
            return true
        }
    }
}
