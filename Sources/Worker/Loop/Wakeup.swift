import Synchronization

/// A level-triggered wake-up for the delivery loop: any number of `signal()` calls while the loop is
/// busy collapse into one, and `wait(until:)` returns at the first signal or when the deadline passes.
///
/// The deadline is kept by one timer task that later waits reuse while its deadline still serves them
/// (the loop's deadlines are mostly the same next rescan), so a busy loop does not start a timer per wait.
final class Wakeup: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
        /// When the running timer task signals, if one runs.
        var timerDeadline: ContinuousClock.Instant?
        var timer: Task<Void, Never>?
    }

    /// How late a reused timer may wake a wait whose own deadline is earlier.
    static let tolerance = Duration.milliseconds(1)

    private let state = Mutex(State())
    /// Where the timer task runs: the worker's own threads, so a timer fires on time even when the
    /// cooperative threads are busy.
    private let executor: (any TaskExecutor)?

    init(executor: (any TaskExecutor)? = nil) {
        self.executor = executor
    }

    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.pending = true
            return nil
        }
        waiter?.resume()
    }

    /// Waits for a signal, or until `deadline` at the latest.
    func wait(until deadline: ContinuousClock.Instant) async {
        let alreadySignalled = state.withLock { state in
            defer { state.pending = false }
            return state.pending
        }
        if alreadySignalled { return }
        armTimer(for: deadline)
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state -> Bool in
                if state.pending {
                    state.pending = false
                    return true
                }
                state.waiter = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }
        state.withLock { $0.pending = false }
    }

    /// Stops the timer task, if one runs (at the end of the loop, so nothing outlives it).
    func cancelTimer() {
        let timer = state.withLock { state -> Task<Void, Never>? in
            defer {
                state.timer = nil
                state.timerDeadline = nil
            }
            return state.timer
        }
        timer?.cancel()
    }

    /// Makes sure a timer signals by `deadline`: keeps the running one if it fires no later than that
    /// (within `tolerance`), else replaces it.
    private func armTimer(for deadline: ContinuousClock.Instant) {
        let replaced = state.withLock { state -> Task<Void, Never>? in
            if let current = state.timerDeadline, current <= deadline + Self.tolerance { return nil }
            let previous = state.timer
            state.timerDeadline = deadline
            // Unstructured on purpose: one timer outlives the wait that armed it, so later waits can reuse it
            // (a busy loop would otherwise start a timer per wait); every one is cancelled when replaced, and the
            // last by `cancelTimer()` before `run()` returns, so none outlives the worker.
            state.timer = Task(executorPreference: executor) { [weak self] in
                try? await Task.sleep(until: deadline, clock: .continuous)
                guard !Task.isCancelled else { return }
                self?.timerFired(deadline)
            }
            return previous
        }
        replaced?.cancel()
    }

    private func timerFired(_ deadline: ContinuousClock.Instant) {
        state.withLock { state in
            if state.timerDeadline == deadline {
                state.timerDeadline = nil
                state.timer = nil
            }
        }
        signal()
    }
}
