import Synchronization

/// Counters behind `GET /stats`: Mail Send requests by answered status and by key fingerprint,
/// and TCP connections (see `ConnectionCounter`).
final class SandboxStats: Sendable {
    private struct Counts {
        var byStatus = [Int](repeating: 0, count: 600)
        var byKey: [String: Int] = [:]
        /// Requests whose key arrived after `maximumKeys` others were already counted.
        var otherKeys = 0
        var total = 0
        var dropped = 0
        var stalled = 0
    }

    /// Distinct key fingerprints counted one by one. A shared sandbox that accepts any `SG.` key
    /// would otherwise grow this map by one entry per made-up key, without bound.
    static let maximumKeys = 1000

    private let counts = Mutex(Counts())
    /// Accepted TCP connections that carried at least one `/v3/` request.
    let mailConnections = Atomic<Int>(0)
    /// Every accepted TCP connection, admin calls included.
    let allConnections = Atomic<Int>(0)
    /// Connections open right now.
    let openConnections = Atomic<Int>(0)

    /// Counts one Mail Send request answered with `status` (0 for a dropped connection).
    func record(status: Int, keyFingerprint: String?) {
        counts.withLock { counts in
            counts.total += 1
            if status == 0 {
                counts.dropped += 1
            } else if status > 0, status < 600 {
                counts.byStatus[status] += 1
            }
            if let keyFingerprint {
                if let index = counts.byKey.index(forKey: keyFingerprint) {
                    counts.byKey.values[index] += 1
                } else if counts.byKey.count < Self.maximumKeys {
                    counts.byKey[keyFingerprint] = 1
                } else {
                    counts.otherKeys += 1
                }
            }
        }
    }

    func recordStall() {
        counts.withLock { $0.stalled += 1 }
    }

    /// Zeroes the request counters (connections keep counting: open ones are still open).
    func reset() {
        counts.withLock { $0 = Counts() }
        mailConnections.store(0, ordering: .relaxed)
        allConnections.store(openConnections.load(ordering: .relaxed), ordering: .relaxed)
    }

    /// The `GET /stats` body.
    func json() -> String {
        let snapshot = counts.withLock { $0 }
        let statuses = snapshot.byStatus.enumerated().filter { $0.element > 0 }.map { "\"\($0.offset)\":\($0.element)" }
        let keys = snapshot.byKey.sorted { $0.key < $1.key }.map { "\(JSONText.quoted($0.key)):\($0.value)" }
        return "{\"requests\":{" + statuses.joined(separator: ",") + "},\"requests_by_key\":{" + keys.joined(separator: ",")
            + "},\"requests_by_key_overflow\":\(snapshot.otherKeys),\"connections\":\(mailConnections.load(ordering: .relaxed))"
            + ",\"connections_all\":\(allConnections.load(ordering: .relaxed))"
            + ",\"connections_open\":\(openConnections.load(ordering: .relaxed))"
            + ",\"total\":\(snapshot.total),\"dropped\":\(snapshot.dropped),\"stalled\":\(snapshot.stalled)}"
    }
}
