import Synchronization

/// Whether `new/` may hold jobs the loop has not tried to claim: raised by inotify, rescans, promotions and
/// releases; lowered by a claim pass that came up short — but only for the raises that pass could have seen,
/// so a job published while a pass runs is never forgotten until the next rescan.
final class ReadyHint: Sendable {
    private let raised = Atomic<Int>(1)
    private let cleared = Atomic<Int>(0)

    func raise() {
        raised.add(1, ordering: .sequentiallyConsistent)
    }

    var isRaised: Bool {
        raised.load(ordering: .sequentiallyConsistent) > cleared.load(ordering: .sequentiallyConsistent)
    }

    /// Taken before a claim pass starts.
    func snapshot() -> Int {
        raised.load(ordering: .sequentiallyConsistent)
    }

    /// Lowers the hint for every raise up to `snapshot`; later raises stand.
    func clear(upTo snapshot: Int) {
        cleared.store(snapshot, ordering: .sequentiallyConsistent)
    }
}
