/// The sandbox's shared state: what every handler reads and updates.
final class SandboxState: Sendable {
    let store: MessageStore
    let stats = SandboxStats()
    let faults: FaultInjector
    let ids = MessageIDGenerator()
    let fingerprints = FingerprintCache()
    let keyCheck: KeyCheck
    let verifiedSenders: [String]
    let batches = BatchRegistry()
    let token: SandboxToken?

    init(configuration: SandboxConfiguration) throws(SandboxFailure) {
        if let problem = configuration.faults.problem { throw SandboxFailure.usage(problem) }
        store = try MessageStore(
            folder: configuration.storeFolder, capacity: configuration.maximumStoredMessages,
            maximumBytes: configuration.maximumStoredBytes)
        faults = FaultInjector(configuration.faults)
        keyCheck = KeyCheck(allowed: Set(configuration.keys.map(\.secret)))
        verifiedSenders = configuration.verifiedSenders.map { $0.lowercased() }
        token = configuration.token
    }

    /// True when `address` matches a configured sender identity (or none is configured).
    func isVerifiedSender(_ address: String) -> Bool {
        if verifiedSenders.isEmpty { return true }
        let lowered = address.lowercased()
        return verifiedSenders.contains { identity in
            identity.hasPrefix("@") ? lowered.hasSuffix(identity) : lowered == identity
        }
    }
}
