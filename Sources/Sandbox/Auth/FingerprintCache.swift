import MailroomCore
import Synchronization

/// `Fingerprint.of(key)` with a small cache: a benchmark sends the same key tens of thousands of
/// times a second, and a SHA-256 per request is measurable. The cache lives only in memory and is
/// never printed.
final class FingerprintCache: Sendable {
    private let cache = Mutex<[String: String]>([:])
    private static let capacity = 1024

    func fingerprint(of key: String) -> String {
        if let known = cache.withLock({ $0[key] }) { return known }
        let computed = Fingerprint.of(key)
        cache.withLock { cache in
            if cache.count < Self.capacity { cache[key] = computed }
        }
        return computed
    }
}
