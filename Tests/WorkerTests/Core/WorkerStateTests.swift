import Foundation
import Spool
import Testing

@testable import Worker

/// `WorkerState`'s transitions, without I/O: capacity, the ready hint, outcomes kept for the disk, drain and stop.
@Suite struct WorkerStateTests {
    private func claim(_ id: String) -> JobClaim {
        JobClaim(id: id, data: Data(), attempts: 0, firstQueuedAt: Date(), lastError: nil, verdict: .job, handle: id)
    }

    private struct NoClaim: Error {}

    /// The first step, which must be a claim.
    private func firstClaim(_ state: inout WorkerState) throws -> (limit: Int, ticket: Int) {
        guard case .claim(let limit, let ticket) = state.next() else { throw NoClaim() }
        return (limit, ticket)
    }

    private func kept(_ id: String) -> WorkerState.Kept {
        WorkerState.Kept(claim: claim(id), outcome: .requeued, event: nil)
    }

    @Test func claimsUpToTheFreeCapacity() throws {
        var state = WorkerState(concurrency: 3, mode: .daemon)
        let (limit, ticket) = try firstClaim(&state)
        #expect(limit == 3)
        #expect(state.claimed([claim("a"), claim("b")], limit: 3, ticket: ticket).count == 2)
        #expect(state.next() == .wait, "a short pass lowers the hint")
        state.raiseReady()
        #expect(state.next() == .claim(limit: 1, ticket: 2))
    }

    @Test func aJobPublishedDuringAClaimPassIsNotForgotten() throws {
        var state = WorkerState(concurrency: 4, mode: .daemon)
        let (_, ticket) = try firstClaim(&state)
        state.raiseReady()  // inotify, while the pass reads the folder
        _ = state.claimed([], limit: 4, ticket: ticket)
        #expect(state.next() != .wait, "the raise during the pass was lost")
    }

    @Test func nothingIsClaimedOnceAStopIsAskedForEvenMidPass() throws {
        var state = WorkerState(concurrency: 2, mode: .daemon)
        let (limit, ticket) = try firstClaim(&state)
        state.stop()
        #expect(state.claimed([claim("a")], limit: limit, ticket: ticket).isEmpty, "a claim taken during the stop was sent")
        state.raiseReady()
        #expect(state.next() == .finish)
        #expect(state.inFlight.isEmpty)
    }

    /// The race of 4c13934: `--drain` must not end between a job leaving the in-flight set and reaching its state.
    @Test func drainDoesNotEndWhileAnOutcomeIsBeingRecorded() throws {
        var state = WorkerState(concurrency: 1, mode: .drain)
        let (limit, ticket) = try firstClaim(&state)
        _ = state.claimed([claim("a")], limit: limit, ticket: ticket)
        _ = state.claimed([], limit: 1, ticket: ticket)
        let taken = state.sendFinished("a")
        #expect(taken)
        #expect(state.next() == .wait, "drain ended while the outcome was being recorded")
        state.recordingEnded()
        #expect(state.next() == .finishUnlessDeferred)
    }

    @Test func aKeptOutcomeStopsClaimingAndIsRetriedWithBackoff() throws {
        var state = WorkerState(concurrency: 2, mode: .drain)
        let (limit, ticket) = try firstClaim(&state)
        _ = state.claimed([claim("a")], limit: limit, ticket: ticket)
        state.raiseReady()
        let taken = state.sendFinished("a")
        #expect(taken)
        let start = ContinuousClock.now
        state.keep(kept("a"), now: start)
        state.recordingEnded()
        #expect(state.next() == .wait, "claimed while an outcome waits for the disk")
        #expect(state.takeKeptIfDue(now: start + .milliseconds(50)).isEmpty)
        let retried = state.takeKeptIfDue(now: start + .milliseconds(100))
        #expect(retried.map(\.claim.id) == ["a"])
        state.keep(retried[0], now: start + .milliseconds(100))
        state.recordingEnded()
        #expect(state.retryAt == start + .milliseconds(300), "the second wait doubles")
        let abandoned = state.abandonKept()
        #expect(abandoned.count == 1 && state.kept.isEmpty)
    }

    @Test func aSendThatEndsAfterShutdownGaveItsClaimBackIsDropped() throws {
        var state = WorkerState(concurrency: 1, mode: .daemon)
        let (limit, ticket) = try firstClaim(&state)
        _ = state.claimed([claim("a")], limit: limit, ticket: ticket)
        state.stop()
        let abandoned = state.abandonInFlight()
        #expect(abandoned.map(\.id) == ["a"])
        let taken = state.sendFinished("a")
        #expect(!taken)
        #expect(state.recording == 0)
    }

    @Test func onceEndsWhenThePassFindsNoMore() throws {
        var state = WorkerState(concurrency: 2, mode: .once)
        let (limit, ticket) = try firstClaim(&state)
        _ = state.claimed([], limit: limit, ticket: ticket)
        #expect(state.next() == .finish)
    }

    @Test func promotionsAreThrottledByTheirOwnCost() throws {
        var state = WorkerState(concurrency: 1, mode: .daemon)
        let now = Date()
        let clock = ContinuousClock.now
        #expect(!state.shouldPromote(now: now, clock: clock, force: false), "nothing is due")
        state.noteDeferred(until: now.addingTimeInterval(-1))
        state.promoted(next: now.addingTimeInterval(-1), took: .milliseconds(50), now: clock)
        #expect(!state.shouldPromote(now: now, clock: clock + .milliseconds(999), force: false))
        #expect(state.shouldPromote(now: now, clock: clock + .seconds(1), force: false))
        #expect(state.shouldPromote(now: now, clock: clock, force: true))
    }
}
