import Foundation
import Glibc
import MailroomCore
import Synchronization
import TestSupport
import Testing

@testable import Spool

/// The state moves the worker drives, in process, through the `Spool` API.
@Suite struct SpoolLibraryTests {
    private func jobs(_ spool: Spool, _ count: Int, prefix: String = "job") throws -> [String] {
        try (0..<count).map { index in try spool.enqueue(Data(validJob("\(prefix)\(index)").utf8), id: "\(prefix)-\(index)").id }
    }

    private func claimAll(_ spool: Spool) throws -> [ClaimedEntry] {
        var all: [ClaimedEntry] = []
        while case let batch = try spool.claimBatch(limit: 7), !batch.isEmpty { all += batch }
        return all
    }

    @Test func deferredJobComesBackWhenDueWithItsAttemptsAndFirstQueuedTime() throws {
        let fixture = SpoolFixture()
        let spool = try Spool(root: fixture.spool)
        _ = try jobs(spool, 1)
        guard case .job(let claim) = try #require(try spool.claimBatch(limit: 10).first) else { throw Failure("not a job") }
        let due = Date().addingTimeInterval(30)
        try spool.deferJob(claim, until: due, attempts: 1, lastError: "HTTP 503: busy")
        #expect(fixture.names("deferred") == ["job-0.json"])
        #expect(fixture.data("deferred/job-0.json") == claim.data, "the job file stays byte-identical")
        #expect(try spool.nextDeferredDue().map { abs($0.timeIntervalSince(due)) < 0.01 } == true)
        #expect(try spool.promoteDueDeferred(now: Date()) == 0)
        #expect(try spool.claimBatch(limit: 10).isEmpty, "not due yet")
        #expect(try spool.promoteDueDeferred(now: due.addingTimeInterval(1)) == 1)
        #expect(try spool.nextDeferredDue() == nil)
        guard case .job(let again) = try #require(try spool.claimBatch(limit: 10).first) else { throw Failure("not a job") }
        #expect(again.attempts == 1 && again.lastError == "HTTP 503: busy")
        #expect(abs(again.firstQueuedAt.timeIntervalSince(claim.firstQueuedAt)) < 0.01)
        #expect(again.data == claim.data)
    }

    @Test func releaseHeldReleasesOnlyThatIntegrationsWorkerHeldJobs() throws {
        let fixture = SpoolFixture()
        let spool = try Spool(root: fixture.spool)
        _ = try jobs(spool, 4)
        let claims = try claimAll(spool).map(\.claim).sorted { $0.id < $1.id }
        try spool.hold(claims[0], integration: 105, reason: "key refused")
        try spool.hold(claims[1], integration: 105, reason: "key refused")
        try spool.hold(claims[2], integration: 7, reason: "inactive")
        try spool.hold(claims[3], integration: nil, reason: "no config")
        _ = try spool.releaseJob("job-1")
        _ = try spool.holdJob("job-1")  // now held by an operator
        #expect(Set(try spool.releaseHeld(integration: 105)) == ["job-0"])
        #expect(try spool.releaseHeld(integration: 105).isEmpty)
        #expect(try spool.releaseHeld(integration: 0) == ["job-3"], "nil and 0 both mean: the job named no integration")
        #expect(fixture.names("new") == ["job-0.json", "job-3.json"])
        #expect(fixture.names("held") == ["job-1.json"])
        #expect(fixture.names("paused/7") == ["job-2.json"])
        let counts = try spool.counts()
        #expect(counts.held == 2 && counts.ready == 2)
    }

    @Test func failKeepsTheJobByteIdenticalWithAReasonBeside() throws {
        let fixture = SpoolFixture()
        let spool = try Spool(root: fixture.spool)
        let body = try Fixtures.text("jobs/booking-confirmed.json")
        _ = try spool.enqueue(Data(body.utf8), id: "booking-991")
        let claim = try #require(try spool.claimBatch(limit: 1).first).claim
        try spool.fail(claim, reason: FailureReason(reason: "SendGrid refused it", field: "to[0].email", attempts: 3, httpStatus: 400))
        #expect(fixture.data("failed/booking-991.json") == Data(body.utf8))
        let reason = jsonObject(String(decoding: fixture.data("failed/booking-991.reason.json") ?? Data(), as: UTF8.self))
        #expect(reason["reason"] as? String == "SendGrid refused it" && reason["field"] as? String == "to[0].email")
        #expect(reason["attempts"] as? Int == 3 && reason["http_status"] as? Int == 400)
        #expect((reason["time"] as? String).flatMap(Timestamps.parse).map { abs($0.timeIntervalSinceNow) < 60 } == true)
        #expect(fixture.activeNames().isEmpty)
        #expect(try spool.entry("booking-991")?.state == .failed)
    }

    @Test func sentIDIsADuplicateForEnqueueAndForACopyDroppedIntoNew() throws {
        let fixture = SpoolFixture()
        let events = EventRecorder()
        let spool = try Spool(root: fixture.spool, events: events)
        _ = try jobs(spool, 1)
        try spool.markSent(try #require(try spool.claimBatch(limit: 1).first).claim, messageID: "msg-1")
        #expect(fixture.activeNames().isEmpty)
        #expect(try spool.enqueue(Data(validJob("x").utf8), id: "job-0") == .duplicate(id: "job-0", state: .sent))
        try fixture.publish("job-0", validJob("copy"))
        let entry = try #require(try spool.claimBatch(limit: 1).first)
        guard case .duplicate(let claim) = entry else { throw Failure("expected a duplicate, got \(entry)") }
        try spool.dropDuplicate(claim)
        #expect(fixture.names("new").isEmpty && fixture.activeNames().isEmpty)
        #expect(events.names == [.duplicate], "enqueue reports its refusal; dropDuplicate leaves the logging to the worker")
        let record = jsonObject(String(decoding: fixture.data("sent/job-0.json") ?? Data(), as: UTF8.self))
        #expect(record["message_id"] as? String == "msg-1" && record["attempts"] as? Int == 1)
        #expect(record.count == 4, "a small record, never the body: \(record)")
    }

    @Test func aCopyPublishedWhileTheJobIsDeferredIsADuplicate() throws {
        let fixture = SpoolFixture()
        let spool = try Spool(root: fixture.spool)
        _ = try jobs(spool, 1)
        try spool.deferJob(
            try #require(try spool.claimBatch(limit: 1).first).claim, until: Date().addingTimeInterval(60), attempts: 1, lastError: "x")
        try fixture.publish("job-0", validJob("copy"))
        guard case .duplicate = try #require(try spool.claimBatch(limit: 1).first) else { throw Failure("expected a duplicate") }
    }

    /// The listing of claim folders is kept between claim passes while `active/` is unchanged: a worker that
    /// starts later must still be seen.
    @Test func aCopyClaimedByAWorkerStartedAfterTheListingWasKeptIsADuplicate() throws {
        let fixture = SpoolFixture()
        let first = try Spool(root: fixture.spool)
        _ = try jobs(first, 2, prefix: "warm")
        _ = try first.claimBatch(limit: 1)
        Thread.sleep(forTimeInterval: 1.2)
        _ = try first.claimBatch(limit: 1)
        let second = try Spool(root: fixture.spool)
        try fixture.publish("job-0", validJob("a"))
        guard case .job = try #require(try second.claimBatch(limit: 1).first) else { throw Failure("expected a job") }
        try fixture.publish("job-0", validJob("b"))
        guard case .duplicate = try #require(try first.claimBatch(limit: 1).first) else { throw Failure("expected a duplicate") }
    }

    /// `meta/` is not searched while it is known to be empty; a record another process writes must still be read.
    @Test func aMetaRecordWrittenAfterMetaWasFoundEmptyIsRead() throws {
        let fixture = SpoolFixture()
        let first = try Spool(root: fixture.spool)
        _ = try jobs(first, 1, prefix: "warm")
        Thread.sleep(forTimeInterval: 1.2)
        _ = try first.claimBatch(limit: 1)
        let second = try Spool(root: fixture.spool)
        _ = try jobs(second, 1)
        guard case .job(let claim) = try #require(try second.claimBatch(limit: 1).first) else { throw Failure("not a job") }
        try second.deferJob(claim, until: Date().addingTimeInterval(-1), attempts: 1, lastError: "HTTP 503: busy")
        #expect(try second.promoteDueDeferred(now: Date()) == 1)
        guard case .job(let again) = try #require(try first.claimBatch(limit: 1).first) else { throw Failure("not a job") }
        #expect(again.attempts == 1 && again.lastError == "HTTP 503: busy")
    }

    @Test func requeuePutsAClaimBackUntouched() throws {
        let fixture = SpoolFixture()
        let spool = try Spool(root: fixture.spool)
        _ = try jobs(spool, 3)
        let before = fixture.names("new").map { ($0, fixture.data("new/" + $0)) }
        for entry in try spool.claimBatch(limit: 10) { try spool.requeue(entry.claim) }
        #expect(fixture.activeNames().isEmpty)
        #expect(fixture.names("new").map { ($0, fixture.data("new/" + $0)) }.elementsEqual(before) { $0.0 == $1.0 && $0.1 == $1.1 })
        #expect(try claimAll(spool).count == 3)
    }

    @Test func claimPassesSeeJobsPublishedMidPassAndClaimEachOnce() throws {
        let fixture = SpoolFixture()
        let spool = try Spool(root: fixture.spool)
        _ = try jobs(spool, 50, prefix: "a")
        var seen = try spool.claimBatch(limit: 20).map(\.claim.id)
        _ = try jobs(spool, 50, prefix: "b")
        seen += try claimAll(spool).map(\.claim.id)
        #expect(seen.count == 100 && Set(seen).count == 100)
    }

    @Test func recoveryMovesADeadWorkersClaimsButNotALiveOnes() throws {
        let fixture = SpoolFixture()
        let live = try Spool(root: fixture.spool)
        _ = try jobs(live, 6)
        let liveClaims = try live.claimBatch(limit: 2).map(\.claim.id)
        // A dead worker: a claim folder nobody holds a lock on, with claims and a duplicate set aside.
        let dead = fixture.spool + "/active/w999999-deadbeef00"
        try FileManager.default.createDirectory(atPath: dead, withIntermediateDirectories: false)
        for name in fixture.names("new").prefix(3) { #expect(rename(fixture.spool + "/new/" + name, dead + "/" + name) == 0) }
        try Data("copy".utf8).write(to: URL(fileURLWithPath: dead + "/.dup.01ABC"))
        let other = try Spool(root: fixture.spool)
        let recovered = try other.recoverOrphanedClaims()
        #expect(recovered.count == 3)
        #expect(fixture.kind("active/w999999-deadbeef00") == nil)
        #expect(Set(fixture.names("active/" + (live.workerID ?? "?"))) == Set(liveClaims.map { $0 + ".json" }))
        #expect(fixture.names("new").count == 4)
        #expect(other.workersAlive() == 1)
        live.retire()
        #expect(other.workersAlive() == 0)
    }

    @Test func concurrentMovesAreEachDurableAndNoneIsLost() async throws {
        let fixture = SpoolFixture()
        let spool = try Spool(root: fixture.spool)
        _ = try jobs(spool, 64)
        let claims = try claimAll(spool).map(\.claim)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, claim) in claims.enumerated() {
                group.addTask {
                    switch index % 3 {
                    case 0: try spool.markSent(claim, messageID: nil)
                    case 1: try spool.deferJob(claim, until: Date().addingTimeInterval(60), attempts: 1, lastError: "x")
                    default: try spool.fail(claim, reason: FailureReason(reason: "bad", attempts: 1))
                    }
                }
            }
            try await group.waitForAll()
        }
        let counts = try spool.counts()
        #expect(counts.sent == 22 && counts.deferred == 21 && counts.failed == 21 && counts.active == 0)
    }

    @Test func operatorActionsAreReportedToTheEventSink() throws {
        let fixture = SpoolFixture()
        let events = EventRecorder()
        let spool = try Spool(root: fixture.spool, events: events)
        _ = try jobs(spool, 2)
        _ = try spool.retryJob("job-0")
        _ = try spool.deleteJob("job-1")
        #expect(events.names == [.requeued, .deleted])
        #expect(events.jobs == ["job-0", "job-1"])
    }

    @Test func aFileWhereTheSpoolShouldBeIsAClearError() throws {
        let fixture = SpoolFixture()
        try fixture.home.write("spool", "not a folder")
        #expect {
            try Spool(root: fixture.spool)
        } throws: { error in
            guard let failure = error as? SpoolError else { return false }
            return failure.exitStatus == .cannotCreate && failure.description.contains(fixture.spool)
        }
        let result = try fixture.mailroom(["status"])
        #expect(result.status == 73 && result.stderr.contains(fixture.spool))
    }

    @Test func jobIDsFollowTheRule() {
        #expect(JobID.isValid("a") && JobID.isValid("A1._-z") && JobID.isValid(String(repeating: "x", count: 128)))
        #expect(!JobID.isValid("") && !JobID.isValid("_a") && !JobID.isValid("a b") && !JobID.isValid(String(repeating: "x", count: 129)))
        let earlier = JobID.generate(now: Date(timeIntervalSince1970: 1_700_000_000))
        let later = JobID.generate(now: Date(timeIntervalSince1970: 1_700_000_000.002))
        #expect(earlier < later && JobID.isValid(earlier) && earlier.count == 26)
    }
}

/// Collects spool events.
final class EventRecorder: SpoolEventSink {
    private let events = Mutex<[SpoolEvent]>([])

    func record(_ event: SpoolEvent) {
        events.withLock { $0.append(event) }
    }

    var names: [SpoolEvent.Name] { events.withLock { $0.map(\.name) } }
    var jobs: [String] { events.withLock { $0.map(\.job) } }
}

struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
