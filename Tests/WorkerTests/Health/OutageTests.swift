import Foundation
import Testing

@testable import Worker

/// The transitions of `Outage`, without I/O: when an endpoint counts as unavailable, how probes go out, and
/// what ends it.
@Suite struct OutageTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func threeDifferentJobsFailingInARowMakeAnOutage() {
        var outage = Outage()
        #expect(outage.recordFailure(job: "a", error: "connection refused", now: start) == .none)
        #expect(outage.recordFailure(job: "b", error: "connection refused", now: start) == .none)
        #expect(!outage.isUnavailable)
        #expect(outage.recordFailure(job: "c", error: "HTTP 503: busy", now: start) == .began)
        #expect(outage.isUnavailable)
        #expect(outage.reason.contains("HTTP 503: busy"), "\(outage.reason)")
    }

    @Test func oneJobFailingAgainAndAgainIsThatJobsProblem() {
        var outage = Outage()
        for _ in 0..<10 { #expect(outage.recordFailure(job: "a", error: "HTTP 500", now: start) == .none) }
        #expect(!outage.isUnavailable)
        #expect(outage.recordFailure(job: "a", error: "HTTP 500", lastAttempt: true, now: start) == .none, "alone, its last attempt fails it")
    }

    @Test func aLastAttemptAfterAnotherJobsFailureMakesAnOutageAtTwo() {
        var outage = Outage()
        _ = outage.recordFailure(job: "a", error: "reset", now: start)
        #expect(outage.recordFailure(job: "b", error: "reset", lastAttempt: true, now: start) == .began)
    }

    @Test func anyAnswerBetweenFailuresStartsTheCountAgain() {
        var outage = Outage()
        _ = outage.recordFailure(job: "a", error: "reset", now: start)
        _ = outage.recordFailure(job: "b", error: "reset", now: start)
        #expect(outage.recordAnswer() == .none)
        #expect(outage.recordFailure(job: "c", error: "reset", now: start) == .none)
        #expect(!outage.isUnavailable)
    }

    @Test func jobsWaitUntilAProbeIsDueAndOnlyOneProbes() throws {
        var outage = try unavailable()
        #expect(outage.verdict(for: "d", now: start) == .wait(reason: outage.reason))
        #expect(!outage.probeDue(now: start.addingTimeInterval(Outage().firstProbeInterval - 0.1)))
        let due = start.addingTimeInterval(Outage().firstProbeInterval)
        #expect(outage.probeDue(now: due))
        #expect(outage.verdict(for: "d", now: due) == .probe)
        #expect(outage.verdict(for: "e", now: due) == .wait(reason: outage.reason), "a second probe while one is out")
        #expect(outage.verdict(for: "d", now: due) == .probe, "the probe itself may go")
        #expect(!outage.probeDue(now: due))
    }

    @Test func eachFailedProbeDoublesTheWaitUpToFiveMinutes() throws {
        var outage = try unavailable()
        var now = start
        var waits: [TimeInterval] = []
        for index in 0..<9 {
            let due = try #require(outage.probeAt)
            waits.append(due.timeIntervalSince(now))
            now = due
            outage.startProbe(job: "probe-\(index)", now: now)
            #expect(outage.recordFailure(job: "probe-\(index)", error: "refused", now: now) == .none)
            #expect(outage.isUnavailable)
        }
        #expect(waits == [5, 10, 20, 40, 80, 160, 300, 300, 300])
    }

    @Test func aProbeThatNeverReportsIsFollowedByAnotherAfterTheInterval() throws {
        var outage = try unavailable()
        let due = start.addingTimeInterval(Outage().firstProbeInterval)
        outage.startProbe(job: "claimed-by-another-worker", now: due)
        #expect(!outage.probeDue(now: due.addingTimeInterval(1)))
        #expect(outage.probeDue(now: due.addingTimeInterval(Outage().firstProbeInterval)))
    }

    @Test func theFirstAnswerEndsTheOutage() throws {
        var outage = try unavailable()
        #expect(outage.recordAnswer() == .ended)
        #expect(!outage.isUnavailable)
        #expect(outage.verdict(for: "x", now: start) == .send)
        #expect(outage.recordAnswer() == .none)
    }

    private func unavailable() throws -> Outage {
        var outage = Outage()
        for job in ["a", "b", "c"] { _ = outage.recordFailure(job: job, error: "connection refused", now: start) }
        try #require(outage.isUnavailable)
        return outage
    }
}
