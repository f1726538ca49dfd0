import Foundation
import Spool
import Synchronization

/// Outcomes the worker knows but could not record yet: the delivery log or the spool refused a write (a full
/// or read-only disk). Each keeps its claim, so the job is neither lost nor sent again; the worker retries
/// logging and moving it with backoff, and claims nothing new until all are recorded. Putting such a claim
/// back to ready instead would send the job again at once, and again, for as long as the disk stays full.
final class Unconcluded: Sendable {
    /// One outcome: the log line still to write (nil once written) and the state move still to make.
    struct Entry: Sendable {
        let claim: Claim
        var event: DeliveryEvent?
        let move: @Sendable () throws -> Void
        /// The outcome the move makes (the event is dropped once logged).
        let outcome: DeliveryEvent.Kind?

        init(claim: Claim, event: DeliveryEvent?, move: @escaping @Sendable () throws -> Void) {
            self.claim = claim
            self.event = event
            self.move = move
            outcome = event?.event
        }
    }

    private struct State {
        var entries: [Entry] = []
        var retrying = false
        /// Outcomes being logged and moved right now: out of the in-flight set, not yet in their next state.
        var recording = 0
    }

    private let state = Mutex(State())

    var isEmpty: Bool { state.withLock { $0.entries.isEmpty } }
    /// No outcome kept and none being recorded: `--drain` may end only then, or it could exit between a job
    /// leaving the in-flight set and reaching `deferred/`, with the job deferred.
    var isIdle: Bool { state.withLock { $0.entries.isEmpty && $0.recording == 0 } }

    /// Brackets the recording of outcomes (taken out of the in-flight set or the kept entries) with a count.
    func recording<T>(_ body: () -> T) -> T {
        state.withLock { $0.recording += 1 }
        defer { state.withLock { $0.recording -= 1 } }
        return body()
    }
    var count: Int { state.withLock { $0.entries.count } }

    /// Keeps `entry` for a retry; true if no retry task runs yet and the caller must start one.
    func keep(_ entry: Entry) -> Bool {
        state.withLock { state in
            state.entries.append(entry)
            defer { state.retrying = true }
            return !state.retrying
        }
    }

    /// Every kept entry, removed (to retry them, or to put them back at shutdown).
    func takeAll() -> [Entry] {
        state.withLock { state in
            defer { state.entries.removeAll() }
            return state.entries
        }
    }

    /// Ends the retry task if nothing is left; false if entries came in meanwhile and it must go on.
    func endRetryIfEmpty() -> Bool {
        state.withLock { state in
            guard state.entries.isEmpty else { return false }
            state.retrying = false
            return true
        }
    }
}
